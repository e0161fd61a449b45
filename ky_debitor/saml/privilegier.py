"""The privilege attribute of an assertion from Fælleskommunal Adgangsstyring.

The attribute (``KY_SAML_PRIVILEGIE_ATTRIBUT``, by default
``dk:gov:saml:attribute:Privileges_intermediate``) holds, base64-encoded, an OIOSAML Basic
Privilege Profile document: privilege groups, each with one or more privileges (the
jobfunktionsroller) and the data constraints (dataafgrænsninger) that bound them::

    <bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">
      <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189846">
        <Privilege>http://odense.dk/roles/jobrole/sagsbehandler/1</Privilege>
        <Constraint Name="http://sts.kombit.dk/constraints/kommune/1">461</Constraint>
        <Constraint Name="http://sts.kombit.dk/constraints/KLE/1">32.*</Constraint>
      </PrivilegeGroup>
    </bpp:PrivilegeList>
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from lxml import etree

from ..errors import ApplicationError

UGYLDIG = "Adgangen fra din kommunes login kunne ikke læses (rettighederne er ikke gyldige)."


@dataclass(frozen=True)
class Privilegiegruppe:
    """Privileges that share their data constraints (name → values) and scope."""

    privilegier: tuple[str, ...]
    afgraensninger: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scope: str = ""


def _lokalt(element: etree._Element) -> str:
    return etree.QName(element).localname


def privilegier_laes(vaerdier: list[str]) -> list[Privilegiegruppe]:
    """The privilege groups of the attribute's values (each a base64 bPP document).

    Raises ``ApplicationError`` when a value is not base64 or not such a document."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    grupper: list[Privilegiegruppe] = []
    for vaerdi in vaerdier:
        try:
            xml = base64.b64decode("".join(str(vaerdi).split()), validate=True)
            rod = etree.fromstring(xml, parser=parser)
        except (binascii.Error, ValueError, etree.XMLSyntaxError) as fejl:
            raise ApplicationError(UGYLDIG) from fejl
        if _lokalt(rod) != "PrivilegeList":
            raise ApplicationError(UGYLDIG)
        for gruppe in rod:
            if not isinstance(gruppe.tag, str) or _lokalt(gruppe) != "PrivilegeGroup":
                continue
            privilegier: list[str] = []
            afgraensninger: dict[str, list[str]] = {}
            for del_ in gruppe:
                if not isinstance(del_.tag, str):
                    continue
                tekst = (del_.text or "").strip()
                if _lokalt(del_) == "Privilege" and tekst:
                    privilegier.append(tekst)
                elif _lokalt(del_) == "Constraint" and del_.get("Name"):
                    afgraensninger.setdefault(str(del_.get("Name")), []).append(tekst)
            grupper.append(
                Privilegiegruppe(
                    privilegier=tuple(privilegier),
                    afgraensninger={k: tuple(v) for k, v in afgraensninger.items()},
                    scope=str(gruppe.get("Scope") or ""),
                )
            )
    return grupper

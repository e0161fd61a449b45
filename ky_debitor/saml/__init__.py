"""Single sign-on: KY Debitor as a SAML 2.0 service provider behind Fælleskommunal
Adgangsstyring (KOMBIT's Context Handler, OIOSAML), issue #21 and docs/adr/0010.

* ``konfiguration`` — the pysaml2 configuration from the environment; the IdP's metadata is read
  again when its file changes or, fetched by URL, at an interval;
* ``privilegier`` — reading the privilege attribute (OIOSAML Basic Privilege Profile);
* ``services`` — a login: privileges to roles by the ``Rolleprivilegium`` table, the kommune
  from the data constraint, the person created or updated just in time, roles replaced, audited;
* ``backend`` — Django's authentication backends (SAML, and local passwords: with SAML on only
  the break-glass Drift account);
* ``views`` — metadata, login, assertion consumer, single logout, and the Danish error pages.

djangosaml2 and pysaml2 (with xmlsec1) check the signatures, audience, recipient, times and
that the answer belongs to a request this browser sent.
"""

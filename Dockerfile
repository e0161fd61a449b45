# KY Debitor: one image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    KY_VAR_DIR=/app/var

WORKDIR /app
# WeasyPrint (the PDF documents) lays out text with Pango; DejaVu is the documents' font;
# HarfBuzz's subsetter cuts the embedded fonts down faster than WeasyPrint's fallback (fontTools).
# xmlsec1 checks and makes the signatures of the SAML login (pysaml2).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core xmlsec1 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /app --shell /usr/sbin/nologin ky
COPY pyproject.toml ./
COPY ky_debitor ky_debitor
COPY fordringer fordringer
COPY sagstilknytning sagstilknytning
COPY opgavepakker opgavepakker
COPY rapporter rapporter
COPY demo demo
COPY templates templates
COPY manage.py gunicorn.conf.py ./
RUN pip install --no-cache-dir . \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && mkdir -p /app/var && chown -R ky /app/var
USER ky
EXPOSE 8000
# Workers, threads and the rest: gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_THREADS, …).
CMD ["gunicorn", "ky_debitor.wsgi:application"]

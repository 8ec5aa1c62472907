# The advisor's service image: the README's install and start commands, run as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# DejaVu gives the PDF quotes their fonts (ReportLab falls back to its own otherwise).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* && useradd --create-home --uid 10001 advisor
WORKDIR /app
COPY --chown=advisor:advisor . /app
USER advisor

RUN python3 -m venv .venv && .venv/bin/pip install -e .
# PYTHONDONTWRITEBYTECODE keeps Python from writing bytecode as it runs, so compile the advisor's
# once here: otherwise every `advisor` command in the container compiles its modules again (~0.2 s).
RUN .venv/bin/python -m compileall -q advisor

# Served beyond loopback, so with accounts: `docker exec CONTAINER .venv/bin/advisor users add NAME`.
ENV ADVISOR_HOST=0.0.0.0 ADVISOR_PORT=8000 ADVISOR_WORKERS=2 ADVISOR_AUTH=tokens
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('ADVISOR_PORT', '8000')}/healthz\", timeout=4)"]
CMD [".venv/bin/advisor", "serve"]

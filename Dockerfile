# Tynchtyk: the same as `make run`, as a non-root user, with its data in a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
WORKDIR /app

COPY pyproject.toml constraints.txt ./
COPY core ./core
COPY bot ./bot
COPY handlers ./handlers
COPY content ./content
COPY storage ./storage
COPY scheduler ./scheduler
COPY dashboard ./dashboard
# The bot runs from /app. Its bytecode is compiled here, and check-content keeps the parsed UI
# strings beside it, so that no start compiles or parses them again (PYTHONDONTWRITEBYTECODE
# keeps a running container from writing either; lifted for check-content alone).
RUN pip install --no-cache-dir -c constraints.txt . \
    && python -m compileall -q core bot handlers content storage scheduler dashboard \
    && PYTHONDONTWRITEBYTECODE= python -m bot check-content \
    && useradd --create-home --uid 10001 tynchtyk \
    && mkdir -p /data && chown tynchtyk /data

USER tynchtyk
VOLUME ["/data"]
EXPOSE 8080
CMD ["python", "-m", "bot", "run"]

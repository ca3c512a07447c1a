FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY shared shared
COPY services services
COPY migrations migrations
RUN pip install --no-cache-dir -e .
ENV DANVAN_DATA_DIR=/data
# SERVICE is registry or aggregator (dialogue once it exists)
CMD ["sh", "-c", "uvicorn services.${SERVICE}.main:create_app --factory --host 0.0.0.0 --port ${PORT}"]

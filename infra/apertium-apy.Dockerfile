# Apertium's HTTP server (APy) with the language pairs Babelwire uses by default.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      apertium-apy transfuse apertium-eng-spa apertium-eng-cat apertium-spa-cat apertium-rus-ukr curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /var/lib/apy apy && mkdir -p /var/lib/apy && chown apy /var/lib/apy
USER apy
WORKDIR /var/lib/apy
EXPOSE 2737
CMD ["apertium-apy", "--port", "2737", "/usr/share/apertium/modes"]

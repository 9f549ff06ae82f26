# Apertium's HTTP server (APy) with the language pairs Babelwire uses by default.
# Serves http://<host>:2737 (/listPairs, /translate); the translator reaches it through APERTIUM_APY_URL.
FROM debian:bookworm-slim

# python3-chardet is a recommendation APy uses to guess the encoding of web pages;
# transfuse is the one `apertium -f html|docx` uses, as on a machine with recommends.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      apertium-apy python3-chardet transfuse curl \
      apertium-eng-spa apertium-eng-cat apertium-spa-cat apertium-rus-ukr \
 && rm -rf /var/lib/apt/lists/*

# As the packaged systemd unit runs it: UTF-8 locale, the `apertium` system user the package creates.
ENV LC_ALL=C.UTF-8
USER apertium
WORKDIR /tmp
EXPOSE 2737
CMD ["apertium-apy", "--port", "2737", "--lang-names", "/usr/share/apertium-apy/langNames.db", "/usr/share/apertium/modes"]

# A node base from the build host's own node binary and npm, FROM the debootstrap base
# that build-local-images.sh imported (no registry involved). Stands in for node:22-slim.
ARG BASE_IMAGE=wsac-base:bookworm
FROM ${BASE_IMAGE}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && (getent group node || groupadd --gid 1000 node) \
 && (getent passwd node || useradd --uid 1000 --gid node --create-home --shell /bin/sh node) \
 && node --version && npm --version
ENV LANG=C.UTF-8
CMD ["node"]

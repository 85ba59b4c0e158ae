# syntax=docker/dockerfile:1
# Build: a static binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/sitrep ./cmd/sitrep \
	&& mkdir -p /out/data

# Run: no shell, no package manager, not root.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sitrep /usr/local/bin/sitrep
COPY --from=build --chown=65532:65532 /out/data /data
ENV SITREP_DATA_DIR=/data \
	SITREP_HTTP_LISTEN=0.0.0.0:8080
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sitrep"]
CMD ["run"]

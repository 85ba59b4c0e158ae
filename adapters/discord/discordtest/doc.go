// Package discordtest is a fake Discord for tests and benchmarks: the REST
// routes sitrep calls, checked against Discord's OpenAPI description and the
// documented limits; rate-limit buckets with X-RateLimit-* headers and 429s;
// nonce enforcement; scriptable failures (deleted channels, missing access,
// lost responses); interactions delivered over a websocket gateway or signed
// HTTP requests. It records what it received and is safe for concurrent use.
package discordtest

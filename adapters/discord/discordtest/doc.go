// Package discordtest is a fake Discord for tests and benchmarks: the REST
// routes sitrep calls, checked against Discord's OpenAPI description and the
// documented limits; rate-limit buckets with X-RateLimit-* headers and 429s;
// nonce enforcement; scriptable failures (deleted channels, missing access,
// 5xx, lost answers); interactions delivered over a websocket gateway or as
// signed HTTP requests. It records what it received and is safe for
// concurrent use.
//
// Point a client's API base URL at the fake:
//
//	fake := discordtest.New(t, discordtest.Options{GlobalLimit: 50, ChannelLimit: 5})
//	c, _ := discord.New(discord.Options{Token: fake.Token(), ApplicationID: fake.ApplicationID(), APIURL: fake.URL()})
//	... c.Send(ctx, m) ...
//	fake.Messages(channelID)  // what the bot posted there
//	fake.RateLimited()        // how many 429s it gave
//
// A request that breaks the spec gets 400 and a violation, and the test
// fails when it ends. Every channel id exists until scripted otherwise.
package discordtest

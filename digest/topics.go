package digest

// DefaultTopics returns the default relevance lexicon: the Russia–Ukraine war,
// in English, Ukrainian and Russian. Terms are lower-case word prefixes.
func DefaultTopics() []Topic {
	return []Topic{{
		Name: "russia-ukraine-war",
		Terms: []string{
			"ukrain", "russia", "kremlin", "kyiv", "kiev", "moscow", "putin", "zelensk", "nato", "donbas",
			"donetsk", "luhansk", "kharkiv", "odesa", "odessa", "zaporizh", "kherson", "crimea", "drone",
			"missile", "sanction", "ceasefire", "prisoner",
			"україн", "росі", "київ", "зеленськ", "путін", "дрон", "ракет", "обстріл", "полон",
			"украин", "росси", "киев", "зеленск", "путин", "всу", "пленн", "сво",
		},
	}}
}

package digest

// DefaultTopics returns the default relevance lexicon: the Russia–Ukraine
// war, in English, Ukrainian and Russian. Terms name the countries, their
// regions and cities, leaders and institutions; Context is the vocabulary
// of war, diplomacy and sanctions. All are lower-case word prefixes.
func DefaultTopics() []Topic {
	return []Topic{{
		Name: "russia-ukraine-war",
		Terms: []string{
			// countries, regions, cities
			"ukrain", "russia", "kyiv", "kiev", "moscow", "kremlin", "crimea", "donbas", "donetsk", "luhansk",
			"kharkiv", "odesa", "odessa", "zaporizh", "zaporozh", "kherson", "mykolaiv", "dnipro",
			"chernihiv", "poltava", "sumy$", "pokrovsk", "kramatorsk", "sloviansk", "bakhmut", "avdiivka", "kupiansk",
			"huliaipole", "sevastopol", "kerch", "belgorod", "kursk", "bryansk", "novorossiysk", "rostov",
			"belarus", "minsk$", "transnistria", "black sea", "azov", "znpp",
			// leaders and institutions
			"putin", "zelensk", "zelenskyy", "lavrov", "peskov", "shoigu", "belousov", "gerasimov", "medvedev",
			"syrskyi", "budanov", "umerov", "yermak", "sybiha", "svyrydenko", "lukashenko", "witkoff", "kellogg",
			"nato$", "rosatom", "energoatom", "gazprom", "rosneft", "fsb$", "sbu$",
			// Ukrainian
			"україн", "київ", "крим", "донбас", "донецьк", "луганськ", "харків", "одес", "запоріж", "запорізьк", "херсон",
			"миколаїв", "дніпр", "суми$", "сумщин", "чернігів", "полтав", "покровськ", "бєлгород", "курськ", "брянськ",
			"росі", "москв", "кремл", "путін", "зеленськ", "нато$", "зсу$", "білорус",
			// Russian
			"украин", "киев", "крым", "донецк", "луганск", "харьков", "одесс", "запорож", "николаев", "днепр",
			"белгород", "курск", "брянск", "росси", "путин", "зеленск", "всу$", "белорус",
		},
		Context: []string{
			"war$", "wars$", "wartime", "warplane", "warship", "warhead", "warfare", "invasion", "invad", "troop", "soldier", "servicem", "army", "armed", "militar",
			"front$", "frontline", "front-line", "offensive", "counteroffensive", "assault", "attack",
			"strike", "struck", "shelling", "shelled", "bomb", "missile", "drone", "rocket", "artillery", "air defen",
			"air raid", "air alert", "airspace", "shahed", "iskander", "kinzhal", "ballistic", "cruise missile",
			"casualt", "killed", "killing", "wounded", "injur", "civilian", "evacuat", "occupied", "occupation",
			"annex", "captur", "liberat", "prisoner", "captiv", "pow$", "pows$", "swap", "hostage", "deport", "abduct",
			"sanction", "embargo", "shadow fleet", "price cap", "frozen assets", "reparation", "ceasefire",
			"truce", "peace", "negotiat", "talks", "envoy", "delegation", "security guarantee", "guarantee",
			"sabotage", "saboteur", "spy$", "spies$", "espionage", "intelligence", "mobiliz", "mobilis", "conscript",
			"recruit", "deserter", "desertion", "weapon", "arms$", "ammunition", "munition", "tank$", "tanks$",
			"tanker", "patriot$", "patriots$", "himars",
			"f-16", "nuclear", "blackout", "power grid", "energy infrastructure", "refinery", "war crime",
			"tribunal", "defence", "defense", "general staff", "incursion", "brigade", "battalion", "regiment",
			"partisan", "explosion", "blast$", "blasts$", "siege", "encircl", "humanitarian", "aid package", "coalition",
			"reassurance", "glide bomb", "kab$", "kabs$", "fpv$", "donor", "pledge", "reconstruction",
			"substation", "power plant", "power system", "grid$",
			// Ukrainian
			"війн", "вторгн", "військ", "армі", "фронт", "наступ$", "наступу$", "наступі$", "атак", "удар", "обстріл",
			"бомб", "ракет", "дрон", "безпілот", "шахед", "ппо$", "загин", "поранен", "евакуац", "окупова",
			"окупант", "полон", "обмін", "санкц", "перемир", "переговор", "гаранті", "знеструм", "вибух",
			"мобілізац", "збро", "оборон", "генштаб", "енергетик", "аес$", "атомн", "ядерн", "магате",
			// Russian
			"войн", "вторжен", "войск", "военн", "военнослуж", "арми", "наступлен", "атак", "удар", "обстрел",
			"беспилот", "пво$", "погиб", "ранен", "эвакуац", "оккуп", "плен", "обмен", "санкц", "перемири",
			"переговор", "гарант", "взрыв", "мобилизац", "оруж", "сво$", "минобороны", "аэс$", "атомн", "ядерн", "магатэ",
		},
	}}
}

// DefaultImportanceTerms returns terms that mark the developments readers
// most need to know: deaths, nuclear safety, turns in the war and in talks
// to end it.
func DefaultImportanceTerms() []string {
	return []string{
		"killed", "killing", "dead$", "death toll", "casualt", "nuclear", "ceasefire", "truce", "peace",
		"talks$", "agreement", "deal$", "offensive", "captur", "breakthrough", "guarantee",
		"sanction", "missile", "massive", "blackout", "evacuat", "nato$",
		"загин", "загибл", "ядерн", "перемир", "переговор", "погиб", "переговоры",
	}
}

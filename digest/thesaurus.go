package digest

// A small domain thesaurus for war news. Outlets tell one development in
// different words ("trade POWs", "prisoner exchange", "captives freed";
// "Abu Dhabi", "the UAE", "Emirati mediation"), and in different languages.
// Each concept below lists word prefixes, in the lexicon syntax of Topic,
// in English, Ukrainian and Russian; a word that matches adds the concept as
// one more term of the article, so articles that share concepts but not
// words still meet. Concepts are ordinary terms for IDF: one that every
// article has ("attack") weighs as little as the word would.
//
// The entries are general vocabulary of war reporting and common aliases of
// states (capital for country, demonym, abbreviation), not the names of any
// particular event.
var concepts = [][]string{
	// people and what happens to them
	{"prisoner", "pow$", "pows$", "captiv", "captive", "detainee", "detention", "полон", "військовополон", "плен", "военнопленн"},
	{"swap", "exchang", "handover", "обмін", "обміня", "обмен", "обменя"},
	{"freed", "release", "came back", "come home", "brought back", "звільн", "повернул", "повернен", "освобожден", "возвращен", "вернул"},
	{"soldier", "servicem", "troop", "defender", "marine", "fighter", "infantry", "військовослужб", "захисник", "бійц", "военнослужащ", "бойц", "солдат"},
	{"mediat", "broker", "intermediar", "facilitat", "посередн", "посредн"},
	{"child", "kid$", "kids$", "minor$", "minors$", "teenager", "дитин", "дитяч", "діт", "дети", "детей", "детск", "детьми", "ребен", "подрост"},
	{"killed", "dead$", "died", "death", "fatalit", "killing", "загин", "загибл", "вбит", "погиб", "убит"},
	{"injur", "wounded", "hurt$", "поранен", "травм", "ранен", "пострада"},
	{"evacuat", "fled$", "flee", "евакуац", "эвакуац"},
	{"civilian", "resident", "цивіл", "мешкан", "жител"},
	// weapons and attacks
	{"drone", "uav", "unmanned", "shahed", "geran", "дрон", "безпілот", "бпла", "шахед", "беспилот", "герань"},
	{"missile", "rocket", "ballistic", "iskander", "kinzhal", "kalibr", "ракет", "іскандер", "искандер"},
	{"glide bomb", "guided bomb", "guided aerial bomb", "kab$", "kabs$", "каб$", "керован", "управляем", "авіабомб", "авиабомб"},
	{"attack", "strike", "struck", "raid", "barrage", "bombard", "shelling", "shelled", "атак", "удар", "обстріл", "обстрел", "наліт", "налет"},
	{"air defen", "intercept", "shot down", "downed", "ппо$", "пво$", "збит", "сбит", "перехвач"},
	{"sabotage", "saboteur", "диверс"},
	// targets and consequences
	{"power$", "electricity", "blackout", "outage", "grid", "світл", "електро", "знеструм", "відключ", "свет", "электр", "обесточ", "отключ"},
	{"energy", "енергет", "энерг"},
	{"refinery", "refineries", "oil depot", "нпз$", "нафтопереро", "нефтеперера", "нефтебаз", "нафтобаз"},
	{"airport", "flights", "air traffic", "аеропорт", "аэропорт", "рейс"},
	{"port$", "ports$", "dock", "harbour", "harbor", "порт$", "порту$", "порти$", "порты$"},
	{"tanker", "shadow fleet", "vessel", "танкер", "тіньов", "теневой флот", "судн"},
	{"nuclear", "atomic", "reactor", "npp$", "аес$", "атомн", "ядерн", "аэс$"},
	{"bridge", "міст$", "мост"},
	{"bus$", "buses", "автобус"},
	{"grain", "wheat", "зерн"},
	// war on the ground
	{"captur", "seiz", "took control", "taken control", "liberat", "захопи", "захопл", "захват", "занял", "взят"},
	{"deni", "deny", "reject", "refut", "dismiss", "запереч", "спросту", "опроверг", "отриц"},
	{"advance", "push toward", "assault", "offensive", "наступ$", "наступу$", "наступі$", "наступальн", "наступлен", "наступа", "штурм"},
	{"occupied", "occupation", "окупова", "окупац", "оккупир", "оккупац"},
	// diplomacy and money
	{"talks$", "negotiat", "meeting", "session", "summit", "переговор", "зустріч", "встреч"},
	{"ceasefire", "truce", "armistice", "перемир", "прекращени огн", "припинен вогн"},
	{"peace plan", "peace deal", "peace proposal", "settlement", "мирн план", "мирн угод", "мирн соглаш"},
	{"guarantee", "assurance", "гарант"},
	{"sanction", "blacklist", "restrictive measures", "санкц"},
	{"frozen", "freeze", "immobilis", "immobiliz", "заморож"},
	{"assets", "активи", "активів", "активы", "активов"},
	{"loan", "кредит", "позик", "заем"},
	{"envoy", "special representative", "спецпосла", "спецпредстав", "посланц", "посланник"},
	{"aid$", "assistance", "pledge", "donor", "допомог", "помощ"},
	// states: abbreviation, name, demonym, capital (Ukraine and Russia
	// first: see conceptUkraine and conceptRussia)
	{"ukrain", "kyiv", "kiev", "україн", "київ", "киев", "украин"},
	{"russia", "moscow", "kremlin", "росі", "москв", "кремл", "росси", "рф$"},
	{"united states", "usa$", "u$ s$", "american", "washington", "white house", "сша$", "америк", "вашингтон"},
	{"united kingdom", "britain", "british", "london", "британ", "лондон"},
	{"european union", "eu$", "brussels", "євросоюз", "єс$", "евросоюз", "ес$", "брюссел"},
	{"nato$", "north atlantic", "alliance", "нато$", "альянс", "північноатлант", "северноатлант"},
	{"united arab emirates", "uae$", "emirat", "abu dhabi", "оае$", "емірат", "оаэ$", "эмират", "абу-дабі", "абу-даби"},
	{"qatar", "doha", "катар", "доха"},
	{"turkey", "türkiye", "turkish", "ankara", "туреч", "турц", "анкар"},
	{"saudi", "riyadh", "jeddah", "саудів", "саудов", "эр-рияд", "ер-ріяд"},
	{"belarus", "minsk", "lukashenk", "білорус", "мінськ", "лукашенк", "беларус", "белорус", "минск"},
	{"poland", "polish", "warsaw", "польщ", "польськ", "варшав", "польш", "польск"},
	{"romania", "bucharest", "румун", "бухарест", "румын"},
	{"germany", "german", "berlin", "німеч", "німецьк", "берлін", "германи", "немецк", "берлин"},
	{"france", "french", "paris", "франц", "париж"},
	{"china", "chinese", "beijing", "китай", "китаї", "пекін", "пекин"},
	{"iran", "tehran", "іран", "тегеран"},
	{"north korea", "pyongyang", "кндр$", "пхеньян", "північн коре", "северн коре"},
}

// Indexes of the concepts of the two countries at war, which have a prior
// in the IDF (see commonTerms).
var conceptUkraine, conceptRussia = conceptIndex("ukrain"), conceptIndex("russia")

func conceptIndex(first string) int {
	for i, c := range concepts {
		if c[0] == first {
			return i
		}
	}
	panic("digest: no concept " + first)
}

// conceptLexicon matches the words of the thesaurus; term i is concept
// conceptOf[i].
var conceptLexicon, conceptOf = func() (*lexicon, []int) {
	var terms []string
	var of []int
	for i, c := range concepts {
		for _, t := range c {
			terms = append(terms, t)
			of = append(of, i)
		}
	}
	return newLexicon(terms), of
}()

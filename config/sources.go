package config

// DefaultSources is the curated list sitrep polls when the configuration names
// none: public RSS/Atom feeds that cover the Russia–Ukraine war, in English,
// Ukrainian and Russian, from independent, public-service and state-affiliated
// outlets. The label says which, so readers can weigh what they read.
func DefaultSources() []Source {
	const (
		independent = "independent"
		public      = "public broadcaster"
		stateRU     = "state-affiliated (Russia)"
		stateUA     = "state-owned (Ukraine)"
	)
	return []Source{
		{Name: "The Kyiv Independent", URL: "https://kyivindependent.com/news-archive/rss/", Lang: "en", Label: independent},
		{Name: "Ukrainska Pravda", URL: "https://www.pravda.com.ua/eng/rss/", Lang: "en", Label: independent},
		{Name: "Ukrainska Pravda (UA)", URL: "https://www.pravda.com.ua/rss/", Lang: "uk", Label: independent},
		{Name: "Ukrinform", URL: "https://www.ukrinform.net/rss/block-lastnews", Lang: "en", Label: stateUA},
		{Name: "Suspilne", URL: "https://suspilne.media/rss/all.rss", Lang: "uk", Label: public},
		{Name: "Euromaidan Press", URL: "https://euromaidanpress.com/feed/", Lang: "en", Label: independent},
		{Name: "Meduza", URL: "https://meduza.io/rss/en/all", Lang: "en", Label: independent},
		{Name: "Meduza (RU)", URL: "https://meduza.io/rss/all", Lang: "ru", Label: independent},
		{Name: "Novaya Gazeta Europe", URL: "https://novayagazeta.eu/feed/rss", Lang: "ru", Label: independent},
		{Name: "BBC News Europe", URL: "https://feeds.bbci.co.uk/news/world/europe/rss.xml", Lang: "en", Label: public},
		{Name: "The Guardian Ukraine", URL: "https://www.theguardian.com/world/ukraine/rss", Lang: "en", Label: independent},
		{Name: "DW News", URL: "https://rss.dw.com/rdf/rss-en-all", Lang: "en", Label: public},
		{Name: "Al Jazeera", URL: "https://www.aljazeera.com/xml/rss/all.xml", Lang: "en", Label: "state-funded (Qatar)"},
		{Name: "TASS", URL: "https://tass.com/rss/v2.xml", Lang: "en", Label: stateRU},
		{Name: "TASS (RU)", URL: "https://tass.ru/rss/v2.xml", Lang: "ru", Label: stateRU},
		{Name: "RIA Novosti", URL: "https://ria.ru/export/rss2/archive/index.xml", Lang: "ru", Label: stateRU},
	}
}

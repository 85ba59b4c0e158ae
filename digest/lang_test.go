package digest

import "testing"

func TestDetectLang(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"english", "Russian drones struck the port of Odesa overnight, injuring four people, the governor said.", "en"},
		{"ukrainian", "Україна готова відмовитися від прагнення вступити до НАТО, якщо отримає гарантії безпеки.", "uk"},
		{"russian", "Президент заявил, что Киев готов отказаться от стремления вступить в НАТО.", "ru"},
		{"ukrainian without і is still not russian", "Зеленський заявив про гарантії", "uk"},
		{"russian title with ы", "Из плена возвращены военнослужащие", "ru"},
		{"cyrillic without distinct letters", "Атака на Одесу", ""},
		{"german", "Die Regierung hat am Montag mit der Ukraine über die Lage gesprochen und sich auf neue Hilfe geeinigt.", "de"},
		{"french", "Le gouvernement a annoncé que les sanctions contre la Russie sont prolongées pour six mois.", "fr"},
		{"polish", "Prokuratura poinformowała, że podejrzany nie przyznał się do winy i jest w areszcie.", "pl"},
		{"too short", "Kherson", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectLang(tt.text); got != tt.want {
				t.Errorf("DetectLang(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestArticleLang(t *testing.T) {
	tests := []struct {
		text, declared, want string
	}{
		{"Атака на Одесу", "uk", "uk"},
		{"Атака на Одесу", "", "ru"},
		{"Kherson", "", "en"},
		{"Kherson", "en-GB", "en"},
		{"Drones struck the port of Odesa, the governor said.", "uk", "en"}, // text wins over a wrong feed
	}
	for _, tt := range tests {
		if got := articleLang(tt.text, tt.declared); got != tt.want {
			t.Errorf("articleLang(%q, %q) = %q, want %q", tt.text, tt.declared, got, tt.want)
		}
	}
}

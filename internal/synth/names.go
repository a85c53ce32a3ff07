package synth

import (
	"math/rand/v2"
	"strings"
)

// Name tables. Each list is ordered roughly by frequency, most common first,
// and sampled with Zipf-Mandelbrot weights, so common names are common and
// namesakes (different people with the same name) happen as in real files.
// The orders are from general knowledge of each naming culture, not from a
// census: shares are plausible, not measured.
//
// Token syntax: names are separated by spaces; '_' stands for a space inside
// a name ("José_Luis"); '/' separates spellings: for non-Latin scripts the
// first is the native form and the rest are romanizations (most common
// first), for Latin scripts they are alternative spellings (transliteration
// variants such as Mohammed/Muhammad); '=' introduces an explicit feminine
// form of a family name.

type script uint8

const (
	latin script = iota
	cyrillic
	greek
	han
	japanese
	hangul
)

// nameForm is one name in its native form and its Latin spellings.
// roman[0] is the usual Latin form; for Latin-script cultures it equals native.
type nameForm struct {
	native string
	roman  []string
}

func (n nameForm) isZero() bool { return n.native == "" }

type givenName struct {
	nameForm
	nicks []string
}

type familyName struct {
	masc, fem nameForm
}

type culture struct {
	code        string
	script      script
	familyFirst bool // native order is family name first (zh, ja, ko, vi)
	nativeSpace bool // the native full name separates family and given by a space
	male        []givenName
	female      []givenName
	family      []familyName
	maleW       weighted
	femaleW     weighted
	familyW     weighted
	// tailShare is the chance that a family name comes from the composed long
	// tail (tail) rather than the head table: real surname distributions have
	// a head of very common names and a tail of tens of thousands of rare ones.
	tailShare float64
	tail      func(r *rand.Rand) familyName
	// given name composition (zh): one or two syllables from these lists.
	composeMale, composeFemale []nameForm
	middleRate                 float64 // chance of a middle name
	middles                    []nameForm
	twoSurnames                bool    // Spanish/Portuguese paternal + maternal surnames
	nameChange                 float64 // propensity of a married woman to take her partner's name
	junior                     float64 // propensity to name a first son after his father
}

func splitTokens(s string) []string { return strings.Fields(s) }

func parseForm(tok string, sc script) nameForm {
	tok = strings.ReplaceAll(tok, "_", " ")
	parts := strings.Split(tok, "/")
	if sc == latin {
		return nameForm{native: parts[0], roman: parts}
	}
	if len(parts) < 2 {
		panic("synth: name table entry without romanization: " + tok)
	}
	return nameForm{native: parts[0], roman: parts[1:]}
}

func parseGiven(code, list string, sc script) []givenName {
	var out []givenName
	for _, t := range splitTokens(list) {
		f := parseForm(t, sc)
		out = append(out, givenName{nameForm: f, nicks: nicknames[code][f.roman[0]]})
	}
	return out
}

func parseFamily(list string, sc script, fem func(nameForm) nameForm) []familyName {
	var out []familyName
	for _, t := range splitTokens(list) {
		m, f, ok := strings.Cut(t, "=")
		mf := parseForm(m, sc)
		ff := mf
		if ok {
			ff = parseForm(f, sc)
		} else if fem != nil {
			ff = fem(mf)
		}
		out = append(out, familyName{masc: mf, fem: ff})
	}
	return out
}

func parseForms(list string, sc script) []nameForm {
	var out []nameForm
	for _, t := range splitTokens(list) {
		out = append(out, parseForm(t, sc))
	}
	return out
}

// Feminine family-name rules. Slavic surnames agree with gender
// (Kowalski/Kowalska, Ivanov/Ivanova): sisters and spouses get a different
// string from their brothers and husbands, which a matcher must expect.
func polishFem(n nameForm) nameForm {
	f := func(s string) string {
		for _, p := range [][2]string{{"dzki", "dzka"}, {"ski", "ska"}, {"cki", "cka"}} {
			if rest, ok := strings.CutSuffix(s, p[0]); ok {
				return rest + p[1]
			}
		}
		return s
	}
	return mapForm(n, f, f)
}

func russianFem(n nameForm) nameForm {
	nat := func(s string) string {
		for _, p := range [][2]string{{"ский", "ская"}, {"цкий", "цкая"}} {
			if rest, ok := strings.CutSuffix(s, p[0]); ok {
				return rest + p[1]
			}
		}
		for _, suf := range []string{"ов", "ев", "ёв", "ин", "ын"} {
			if strings.HasSuffix(s, suf) {
				return s + "а"
			}
		}
		return s
	}
	rom := func(s string) string {
		for _, suf := range []string{"skiy", "skii", "sky"} {
			if rest, ok := strings.CutSuffix(s, suf); ok {
				return rest + "skaya"
			}
		}
		for _, suf := range []string{"ov", "ev", "ow", "in", "yn"} {
			if strings.HasSuffix(s, suf) {
				if suf == "ow" {
					return s[:len(s)-1] + "va"
				}
				return s + "a"
			}
		}
		return s
	}
	return mapForm(n, nat, rom)
}

func mapForm(n nameForm, nat, rom func(string) string) nameForm {
	out := nameForm{native: nat(n.native), roman: make([]string, len(n.roman))}
	for i, r := range n.roman {
		out.roman[i] = rom(r)
	}
	if len(n.roman) > 0 && n.roman[0] == n.native {
		out.roman[0] = out.native // keep the Latin invariant roman[0]==native
	}
	return out
}

// composeTail builds a long-tail surname generator from roots and suffixes,
// with Zipf-distributed indexes so even the tail has frequent and rare names.
func composeTail(roots, sufs string, sc script, fem func(nameForm) nameForm) func(r *rand.Rand) familyName {
	rs, ss := parseForms(roots, sc), parseForms(sufs, sc)
	n := len(rs) * len(ss)
	step := 7919 // prime: i*step mod n is a bijection unless n is a multiple
	for n%step == 0 {
		step += 2
	}
	return func(r *rand.Rand) familyName {
		// Ranks are flattened (q = 40): tail names are individually rare.
		// The multiplication scatters consecutive ranks over roots and
		// suffixes, so the commonest tail names do not share a suffix.
		j := zipfIndex(r, n, 40) * step % n
		a, b := rs[j%len(rs)], ss[j/len(rs)]
		m := nameForm{native: a.native + b.native, roman: []string{a.roman[0] + b.roman[0]}}
		if sc == latin {
			m.native = capFirst(strings.ToLower(m.native))
			m.roman[0] = m.native
		} else {
			m.roman[0] = capFirst(strings.ToLower(m.roman[0]))
		}
		f := m
		if fem != nil {
			f = fem(m)
		}
		return familyName{masc: m, fem: f}
	}
}

func capFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// Nicknames and short forms by culture, keyed by the usual Latin spelling
// of the given name. A copy may carry any of them instead of the formal
// name. Scoped by culture: German Maria is not Masha.
var nicknames = func() map[string]map[string][]string {
	const table = `en|Robert:Bob,Rob,Bobby,Robbie;William:Bill,Will,Billy,Liam;Elizabeth:Liz,Beth,Betty,Lizzie,Eliza;
James:Jim,Jimmy,Jamie;John:Jack,Johnny;Michael:Mike,Mikey,Mick;Richard:Rick,Dick,Rich,Richie;Thomas:Tom,Tommy;
Joseph:Joe,Joey;Charles:Charlie,Chuck;Christopher:Chris,Kit;Daniel:Dan,Danny;Matthew:Matt;Anthony:Tony;
Edward:Ed,Eddie,Ted;Jennifer:Jen,Jenny;Patricia:Pat,Patty,Trish;Susan:Sue,Susie;Deborah:Deb,Debbie;
Rebecca:Becky,Becca;Alexander:Alex,Sandy;Samantha:Sam;Samuel:Sam;Nicholas:Nick,Nicky;Benjamin:Ben,Benny;
Victoria:Vicky,Tori;Jessica:Jess,Jessie;Andrew:Andy,Drew;Steven:Steve;Stephen:Steve;Timothy:Tim;Kenneth:Ken,Kenny;
Ronald:Ron,Ronnie;Donald:Don,Donny;Gregory:Greg;Jonathan:Jon;Joshua:Josh;Nathan:Nate;Zachary:Zach,Zack;
Abigail:Abby;Barbara:Barb,Babs;Margaret:Maggie,Meg,Peggy;Katherine:Kate,Kathy,Katie;Catherine:Cathy,Kate;
Dorothy:Dot,Dottie;Frances:Fran;Gerald:Gerry;Raymond:Ray;Lawrence:Larry;Douglas:Doug;Walter:Walt;Peter:Pete;
Patrick:Pat;Frederick:Fred,Freddie;Henry:Harry,Hank;Jacqueline:Jackie;Pamela:Pam;Cynthia:Cindy;Kimberly:Kim;
Melissa:Mel,Missy;Amanda:Mandy;Stephanie:Steph;Nicole:Nikki;Christine:Chris,Chrissy;Theresa:Terry,Tess;
Madison:Maddie;Olivia:Liv;Isabella:Bella,Izzy;Christina:Tina,Chris;Judith:Judy;Virginia:Ginny;Kathleen:Kathy,Kate;
Cheryl:Cher;Teresa:Terri;Philip:Phil;Albert:Al,Bert;Arthur:Art;Eugene:Gene;Russell:Russ;Vincent:Vince;
Gabriel:Gabe;Frank:Frankie;Samantha:Sammy
de|Johannes:Hans,Johann;Wolfgang:Wolf;Friedrich:Fritz;Katharina:Kathi,Kati;Maximilian:Max;Matthias:Matze;
Alexander:Alex;Christian:Chris;Elisabeth:Lisa,Elli;Andreas:Andi;Stefanie:Steffi;Susanne:Susi;Gabriele:Gabi;
Sebastian:Basti;Tobias:Tobi;Benjamin:Ben;Michael:Micha
es|José:Pepe;Francisco:Paco,Pancho,Fran;Guadalupe:Lupe;Dolores:Lola;Manuel:Manolo;Ignacio:Nacho;Enrique:Quique;
Concepción:Concha;Josefa:Pepa;Jesús:Chuy;Alejandro:Álex;Antonio:Toni,Toño;Rafael:Rafa;Fernando:Nando;
Guillermo:Guille;Roberto:Beto;Eduardo:Edu;Montserrat:Montse;Inmaculada:Inma;Pilar:Pili
pt|Francisco:Chico;António:Tó;José:Zé;Fernanda:Nanda;Gabriela:Gabi;Eduardo:Dudu
it|Giuseppe:Beppe,Peppe,Pino;Francesco:Franco,Checco;Giovanni:Gianni,Nanni;Salvatore:Totò;Alessandro:Sandro,Ale;
Antonio:Tonino;Domenico:Mimmo;Vincenzo:Enzo;Giuseppina:Pina;Francesca:Franci
fr|Maximilien:Max;Guillaume:Guy;Nicolas:Nico;Frédéric:Fred;Christophe:Chris;Alexandre:Alex;Mathieu:Matt;
Catherine:Cathy;Isabelle:Isa;Stéphanie:Steph;Dominique:Dom
pl|Małgorzata:Gosia,Małgosia;Katarzyna:Kasia;Aleksander:Olek;Wojciech:Wojtek;Krzysztof:Krzysiek;Agnieszka:Aga;
Aleksandra:Ola;Joanna:Asia;Tomasz:Tomek;Michał:Michu;Magdalena:Magda;Elżbieta:Ela;Barbara:Basia;
Stanisław:Staszek;Józef:Józek;Jakub:Kuba
nordic|Margareta:Greta;Kristina:Stina;Elisabeth:Lisa;Birgitta:Gittan;Fredrik:Fredde;Magnus:Manne
ru|Aleksandr:Sasha;Dmitry:Dima;Ekaterina:Katya;Mikhail:Misha;Vladimir:Volodya,Vova;Natalya:Natasha;
Anastasia:Nastya;Ivan:Vanya;Elena:Lena;Maria:Masha;Sergey:Seryozha;Aleksey:Alyosha;Yulia:Yulya;Tatyana:Tanya;
Evgeny:Zhenya;Pavel:Pasha;Konstantin:Kostya;Nikolay:Kolya;Olga:Olya;Svetlana:Sveta;Irina:Ira;Ksenia:Ksyusha
el|Giorgos:George;Konstantinos:Kostas,Dinos;Ioannis:Giannis,John;Nikolaos:Nikos,Nick;Panagiotis:Panos;
Vasileios:Vasilis,Bill;Aikaterini:Katerina,Kate;Dimitrios:Jim,Takis;Christos:Chris;Alexandros:Alex
ar|Mohammed:Mo,Hamoudi;Abdullah:Abdul;Ibrahim:Ibo;Suleiman:Sol;Youssef:Joe
in|Venkat:Venky;Srinivas:Srini;Rajesh:Raj;Siddharth:Sid;Abhishek:Abhi;Aishwarya:Aishu;Vijay:VJ;Gaurav:Gary`
	m := map[string]map[string][]string{}
	cur := ""
	for _, line := range strings.Split(table, "\n") {
		if code, rest, ok := strings.Cut(line, "|"); ok {
			cur, line = code, rest
			m[cur] = map[string][]string{}
		}
		for _, e := range strings.Split(line, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(e), ":")
			if ok {
				m[cur][k] = strings.Split(v, ",")
			}
		}
	}
	return m
}()

// cultures is the registry of naming cultures, keyed by code.
var cultures = map[string]*culture{}

func addCulture(c *culture, gs, gq, fs, fq float64) {
	c.maleW = newWeighted(zipfWeights(len(c.male), gs, gq))
	c.femaleW = newWeighted(zipfWeights(len(c.female), gs, gq))
	c.familyW = newWeighted(zipfWeights(len(c.family), fs, fq))
	cultures[c.code] = c
}

func init() {
	en := &culture{code: "en", script: latin, middleRate: 0.55, nameChange: 0.8, junior: 1, tailShare: 0.7,
		male: parseGiven("en", `James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel Matthew
Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob
Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond
Jack Dennis Jerry Tyler Aaron Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith
Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Bruce Gabriel Logan Albert
Alan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Oliver Harry Liam Lucas Owen Connor
Callum Lewis Frederick Graham Neil Stuart Ian Colin Malcolm Duncan Hamish Rhys Gareth Declan Ciaran`, latin),
		female: parseGiven("en", `Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret
Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia
Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet
Catherine Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan
Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Julia
Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie
Kayla Alexis Lori Chloe Amelia Jessie Ella Poppy Freya Isla Siobhan Niamh Fiona Gillian Kirsty Bethan Sian`, latin),
		family: parseFamily(`Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson
Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson
Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan
Cooper Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks Wood James Bennett Gray/Grey Hughes Price
Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Fisher Graham
Hamilton Wallace Cole West Jordan Reynolds Marshall Owens Ellis Harrison Gibson McDonald/MacDonald/Mcdonald Murray Ford
Wells Kennedy Palmer O'Brien/OBrien O'Connor/OConnor Walsh Byrne Ryan Davies Thomson Robertson MacKenzie/McKenzie
Fraser Hunt Mills Knight Lloyd Stevens Webb Simpson Holmes Chapman Dixon Mason Matthews Shaw Hunter Hart Dawson
Fletcher Lawrence Atkinson Hudson Burton Pearson Andrews Spencer Barker Payne Day Riley Armstrong Carr Lane Hayes Fox`, latin, nil),
		tail: composeTail(`Ash Black Brad Bur Cald Craw Dal Fair Hart Hol Kings Lang Mid Nor Oak Pem Ral Ross Stan Thorn
Wake Wel West Whit Wood Al Bar Chad Ed Elm Fen Gar Hal Hap Lin Mar Mor Ox Pen Pres Red Rid Rush Sel Shel Sher Stock
Sud Tal Wal War Wat Wil Win Wor Yar Ald Ames Beck Bland Bram Brook Burn Carl Chat Clif Cran Dun East Farn Glad Gold
Gran Harl Hawk Heath Hen Kirk Lock Mel Ram Rock Sand Scar Sil Stam Thurs Wes Wind Ather Bick Cot Dray Ells Foss`,
			`ford ley ton wood well worth by field ham more stone wick bury ridge man son er den combe dale hurst land`, latin, nil),
	}
	en.middles = formsOf(en.male, en.female)
	addCulture(en, 1.0, 8, 1.0, 10)

	es := &culture{code: "es", script: latin, twoSurnames: true, nameChange: 0.02, junior: 0.05, tailShare: 0.3,
		male: parseGiven("es", `José Antonio Juan Manuel Francisco Luis Javier Carlos Jesús Miguel Pedro Alejandro Rafael Fernando
José_Luis Pablo Sergio Jorge Alberto Juan_Carlos Daniel David Diego Andrés Raúl Enrique Ramón Vicente Joaquín Ignacio
Miguel_Ángel Alfonso Santiago Mateo Hugo Martín Lucas Óscar Rubén Adrián Iván Álvaro Gonzalo Emilio Julio Salvador
Guillermo Marcos Ricardo Eduardo Roberto Víctor Felipe Agustín`, latin),
		female: parseGiven("es", `María Carmen Ana Isabel Laura Cristina Marta Lucía Pilar Dolores Josefa Rosa Teresa Elena Paula
María_José Sara Raquel Patricia Rocío Mercedes Beatriz Silvia Julia Nuria Irene Andrea Alba Sofía Valentina Guadalupe
Inmaculada Concepción Montserrat Ángela María_del_Carmen Ana_María Eva Natalia Claudia Lorena Noelia Sonia Alicia
Esther Yolanda Verónica Marina Begoña Ainhoa Itziar`, latin),
		family: parseFamily(`García González Rodríguez Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz
Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano
Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido Cortés Castillo
Santos Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña Flores Cabrera Campos Vega
Fuentes Carrasco Díez Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo Montero Hidalgo Giménez Ibáñez
Ferrer Durán Benítez Mora Vargas Arias Carmona Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra Esteban Bravo
Gallardo Rojas Rivera Chávez Mendoza`, latin, nil),
		tail: composeTail(`Al Bar Cas Es Gal Mar Ol Pal Ri Sal Val Vill Zam Bel Cor Lar Mon Pin Quin Tor`,
			`ares eda illo ero ado ino ona uela ena iz anca edo ales era`, latin, nil),
	}
	addCulture(es, 1.0, 8, 1.0, 8)

	pt := &culture{code: "pt", script: latin, twoSurnames: true, nameChange: 0.35, junior: 0.1,
		male: parseGiven("pt", `João José António Francisco Pedro Paulo Carlos Manuel Luís Miguel Rafael Gabriel Lucas Mateus
Tiago Rodrigo Bruno Diogo Gonçalo Ricardo Fernando Marcelo Eduardo Gustavo Leonardo Henrique Felipe Vinícius Thiago
André Sérgio Rui Nuno Hugo`, latin),
		female: parseGiven("pt", `Maria Ana Francisca Antónia Adriana Juliana Márcia Fernanda Patrícia Aline Beatriz Mariana
Leonor Inês Carolina Matilde Sofia Joana Rita Catarina Luíza Gabriela Camila Larissa Letícia Vitória Daniela Cláudia
Sandra Teresa Conceição Fátima Graça Helena`, latin),
		family: parseFamily(`Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa/Souza Fernandes
Gonçalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira
Monteiro Cardoso Rocha Raposo Neves Coelho Cruz Cunha Pires Ramos Reis Simões Antunes Matos Fonseca Machado Araújo
Barbosa Tavares Lourenço Castro Figueiredo Azevedo Freitas Nascimento Lima Cavalcanti Dias Campos Barros Moura
Brandão Conceição`, latin, nil),
	}
	addCulture(pt, 1.0, 6, 1.0, 3)

	de := &culture{code: "de", script: latin, middleRate: 0.2, nameChange: 0.75, junior: 0.05, tailShare: 0.6,
		male: parseGiven("de", `Peter Michael Thomas Andreas Wolfgang Klaus Jürgen Stefan Christian Hans Uwe Frank Bernd Markus
Matthias Günter Tobias Alexander Sebastian Florian Jan Lukas Leon Maximilian Felix Jonas Paul Niklas Dieter Manfred
Horst Helmut Karl Heinz Werner Gerhard Jörg Ralf Sven Dirk Torsten Björn Kai Johannes Friedrich Rainer Holger Olaf
Hans-Peter Karl-Heinz Ulrich Norbert Volker Benjamin Finn Moritz Julian`, latin),
		female: parseGiven("de", `Maria Ursula Monika Petra Elisabeth Sabine Renate Helga Karin Brigitte Ingrid Erika Andrea
Gisela Claudia Susanne Gabriele Christa Christine Birgit Stefanie Julia Anna Laura Lena Lea Sophie Hannah Katharina
Sandra Nicole Anja Jana Jutta Heike Silke Martina Bärbel Gudrun Anke Kerstin Doris Marion Ute Annette Mia Emilia
Lina Clara Johanna Luisa`, latin),
		family: parseFamily(`Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz
Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz
Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke
Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel
Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt
Sauer Arnold Wolff Pfeiffer`, latin, nil),
		tail: composeTail(`Bau Berg Brand Eich Fisch Hof Kirch Lang Lin Ober Rosen Schön Stein Wald Wein Wolf Grün Kl
Hinter Nieder Alt Neu Hoch Mitter Sonnen Feld Holz Bach Mühl Tann`,
			`mann er berg feld hauer hofer meier bach ner inger stein huber bauer brunner hammer`, latin, nil),
	}
	de.middles = formsOf(de.male, de.female)
	addCulture(de, 1.0, 10, 1.0, 15)

	fr := &culture{code: "fr", script: latin, middleRate: 0.1, nameChange: 0.6, junior: 0.05, tailShare: 0.5,
		male: parseGiven("fr", `Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard Marcel Daniel Roger Robert Paul
Claude Christian Henri Georges Nicolas François Patrick Éric Frédéric Laurent Stéphane David Julien Sébastien Thomas
Antoine Mathieu Olivier Jean-Pierre Jean-Claude Jean-Luc Jean-Marc Guillaume Maxime Hugo Lucas Théo Léo Gabriel
Raphaël Arthur Jérôme Thierry Pascal Yves Didier Benoît Cédric Gaël`, latin),
		female: parseGiven("fr", `Marie Jeanne Françoise Monique Catherine Nathalie Isabelle Jacqueline Anne Sylvie Martine
Madeleine Nicole Suzanne Hélène Christine Marguerite Denise Louise Christiane Valérie Sophie Sandrine Stéphanie Céline
Aurélie Julie Camille Léa Manon Chloé Emma Inès Marie-Claire Anne-Marie Marie-Thérèse Élodie Émilie Océane Mathilde
Chantal Brigitte Véronique Agnès Béatrice Geneviève Josiane Laetitia Margaux`, latin),
		family: parseFamily(`Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre
Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefebvre Faure
André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas
Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard
Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal
Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc
Payet Rolland Leclercq Guillaume Lecomte Le_Gall/Legall Le_Roux/Leroux Le_Goff/Legoff Da_Silva Du_Pont/Dupont`, latin, nil),
		tail: composeTail(`Beau Bel Bon Champ Clair Font Grand Haut Mont Roche Val Vill Mar Pré Chal Char Cour Fleur`,
			`champ mont ville court lieu ier ard et ot in eau ain ond`, latin, nil),
	}
	fr.middles = formsOf(fr.male, fr.female)
	addCulture(fr, 1.0, 10, 1.0, 15)

	it := &culture{code: "it", script: latin, nameChange: 0.1, junior: 0.05, tailShare: 0.5,
		male: parseGiven("it", `Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco
Domenico Bruno Paolo Michele Giorgio Aldo Sergio Luciano Marco Andrea Alessandro Lorenzo Matteo Leonardo Riccardo
Davide Stefano Roberto Massimo Fabio Simone Luca Gabriele Tommaso Emanuele Federico Nicola Gian_Luca Pier_Paolo`, latin),
		female: parseGiven("it", `Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Antonietta
Rita Paola Laura Giulia Sofia Aurora Alice Ginevra Emma Giorgia Martina Chiara Sara Valentina Elena Federica Silvia
Alessandra Elisa Roberta Daniela Monica Simona Cristina Barbara Patrizia Maria_Grazia Anna_Maria`, latin),
		family: parseFamily(`Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
De_Luca/DeLuca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara
Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis/DeSantis D'Angelo/DAngelo/D_Angelo
Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala De_Angelis Gatti
Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino Carbone
Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri Bernardi Martino Fiore De_Rosa Ferretti Bellini
Basile Riva Donati Piras Vitali Battaglia Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino D'Amico/DAmico
Orlando Negri`, latin, nil),
		tail: composeTail(`Bel Bon Car Cas Fer Gal Lom Mar Mor Pal Ros San Ser Tor Val Ven Zan Ber Cor Fab`,
			`i o etti ini ello ucci one ari elli otti aro`, latin, nil),
	}
	addCulture(it, 1.0, 10, 1.0, 15)

	pl := &culture{code: "pl", script: latin, nameChange: 0.8, junior: 0.02, tailShare: 0.5,
		male: parseGiven("pl", `Piotr Krzysztof Andrzej Tomasz Paweł Jan Michał Marcin Jakub Adam Łukasz Mateusz Wojciech Kamil
Marek Grzegorz Stanisław Józef Dariusz Rafał Maciej Sebastian Damian Bartłomiej Przemysław Zbigniew Jerzy Ryszard
Tadeusz Kacper Aleksander Szymon Filip Antoni`, latin),
		female: parseGiven("pl", `Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Magdalena Elżbieta Joanna
Aleksandra Monika Zofia Teresa Danuta Natalia Julia Karolina Marta Beata Dorota Halina Jadwiga Alicja Iwona Grażyna
Urszula Justyna Zuzanna Hanna Wiktoria`, latin),
		family: parseFamily(`Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak
Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski Nowicki
Adamczyk Dudek Zając Wieczorek Jabłoński Król Majewski Olszewski Jaworski Wróbel Malinowski Pawlak Witkowski Walczak
Stępień Górski Rutkowski Michalak Sikora Ostrowski Baran Duda Szewczyk Tomaszewski Pietrzak Marciniak Wróblewski
Zalewski Jakubowski Jasiński Zawadzki Sadowski Bąk Chmielewski Włodarczyk Borkowski Czarnecki Sawicki Sokołowski
Urbański Kubiak Maciejewski Szczepański Kucharski Wilk Kalinowski Lis Mazurek Wysocki Adamski Kaźmierczak`, latin, polishFem),
		tail: composeTail(`Brzez Dąbr Gór Jabł Kalin Krzyż Las Lip Mał Mił Ostr Piask Róż Sad Sosn Star Wol Zal Bar Bor
Czar Grab Kos Mak Pol Rud Sob Wil`,
			`owski ewski iński ecki owicz czyk iak ek`, latin, polishFem),
	}
	addCulture(pl, 1.0, 8, 1.0, 10)

	nordic := &culture{code: "nordic", script: latin, middleRate: 0.25, nameChange: 0.55, junior: 0.02, tailShare: 0.35,
		male: parseGiven("nordic", `Lars Anders Johan Erik Per Karl Nils Jan Mikael Hans Peter Olof Lennart Sven Fredrik Gunnar Stefan
Thomas Bengt Magnus Björn Daniel Mats Oskar Axel Emil Gustav Hugo Elias Viktor Ola Knut Jørgen Søren Mads Rasmus
Henrik Morten Kjell Arne Håkan Göran`, latin),
		female: parseGiven("nordic", `Anna Maria Margareta Elisabeth Eva Kristina Birgitta Karin Ingrid Lena Kerstin Sara Emma Marie
Malin Sofia Linnea Astrid Elsa Maja Ebba Ida Freja Sigrid Hanne Kirsten Mette Solveig Åsa Märta Liv Britt Ulla Annika
Ingegerd`, latin),
		family: parseFamily(`Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson Lindström Lindqvist Lindgren
Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg
Sjöberg Wallin Engström Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson Isaksson
Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström Hansen Johansen
Olsen Larsen Andersen Pedersen Nielsen Kristiansen Jensen Karlsen Nilsen Haugen Bakken Solberg Dahl Lie Sørensen`, latin, nil),
		tail: composeTail(`Berg Lind Ek Sjö Ström Dahl Holm Lund Ahl Blom Fors Hag Nord Sand Wall Ros Stjern Öst`,
			`berg gren ström qvist lund dahl man blad holm by lin`, latin, nil),
	}
	nordic.middles = formsOf(nordic.male, nordic.female)
	addCulture(nordic, 1.0, 10, 1.0, 8)

	ru := &culture{code: "ru", script: cyrillic, nameChange: 0.75, junior: 0.01, tailShare: 0.5,
		male: parseGiven("ru", `Александр/Aleksandr/Alexander/Alexandr Дмитрий/Dmitry/Dmitriy/Dmitrii Сергей/Sergey/Sergei
Андрей/Andrey/Andrei Алексей/Aleksey/Alexey/Alexei Максим/Maksim/Maxim Иван/Ivan Михаил/Mikhail/Michail
Николай/Nikolay/Nikolai Владимир/Vladimir Евгений/Evgeny/Yevgeny/Evgenii Артём/Artyom/Artem Павел/Pavel Игорь/Igor
Олег/Oleg Юрий/Yuri/Yury/Iurii Виктор/Viktor/Victor Роман/Roman Денис/Denis Антон/Anton Олександр/Oleksandr/Olexandr
Тарас/Taras Богдан/Bohdan/Bogdan Василь/Vasyl Константин/Konstantin Никита/Nikita Илья/Ilya/Ilia Кирилл/Kirill`, cyrillic),
		female: parseGiven("ru", `Анна/Anna Мария/Maria/Mariya Елена/Elena/Yelena Ольга/Olga Наталья/Natalya/Natalia
Екатерина/Ekaterina/Yekaterina/Katerina Татьяна/Tatyana/Tatiana Ирина/Irina Светлана/Svetlana
Анастасия/Anastasia/Anastasiya Юлия/Yulia/Yuliya/Julia Дарья/Darya/Daria Ксения/Ksenia/Kseniya Марина/Marina
Валентина/Valentina Людмила/Lyudmila/Ludmila Галина/Galina Оксана/Oksana Олена/Olena Ганна/Hanna Софія/Sofiia/Sofia
Виктория/Viktoria/Victoria Алина/Alina Полина/Polina`, cyrillic),
		family: parseFamily(`Иванов/Ivanov Смирнов/Smirnov Кузнецов/Kuznetsov/Kuznetsow Попов/Popov Васильев/Vasiliev/Vasilyev
Петров/Petrov Соколов/Sokolov Михайлов/Mikhailov/Mikhaylov Новиков/Novikov Фёдоров/Fedorov/Fyodorov Морозов/Morozov
Волков/Volkov Алексеев/Alekseev/Alexeev Лебедев/Lebedev Семёнов/Semenov/Semyonov Егоров/Egorov/Yegorov Павлов/Pavlov
Козлов/Kozlov Степанов/Stepanov Николаев/Nikolaev Орлов/Orlov Андреев/Andreev Макаров/Makarov Никитин/Nikitin
Захаров/Zakharov Шевченко/Shevchenko Бойко/Boyko/Boiko Коваленко/Kovalenko Бондаренко/Bondarenko Ткаченко/Tkachenko
Кравченко/Kravchenko Мельник/Melnyk/Melnik Ковальчук/Kovalchuk Олійник/Oliynyk/Oliinyk Лысенко/Lysenko
Руденко/Rudenko Савченко/Savchenko Марченко/Marchenko Гончаренко/Goncharenko/Honcharenko`, cyrillic, russianFem),
		tail: composeTail(`Сокол/Sokol Волк/Volk Бел/Bel Жук/Zhuk Гром/Grom Медвед/Medved Зайц/Zaits Гусь/Gus Лис/Lis
Сом/Som Рыб/Ryb Кот/Kot Щук/Shchuk Ворон/Voron Голуб/Golub Дуб/Dub Бор/Bor Полян/Polyan Камен/Kamen Руд/Rud`,
			`ов/ov ев/ev ин/in енко/enko чук/chuk ский/sky`, cyrillic, russianFem),
	}
	addCulture(ru, 1.0, 6, 1.0, 10)

	el := &culture{code: "el", script: greek, nameChange: 0.5, junior: 0.02,
		male: parseGiven("el", `Γιώργος/Giorgos/Georgios/George Δημήτρης/Dimitris/Dimitrios Κωνσταντίνος/Konstantinos/Kostas
Ιωάννης/Ioannis/Giannis/Yannis Νικόλαος/Nikolaos/Nikos Παναγιώτης/Panagiotis/Panayiotis Βασίλειος/Vasileios/Vasilis
Χρήστος/Christos/Hristos Αθανάσιος/Athanasios/Thanasis Μιχαήλ/Michail/Michael Ευάγγελος/Evangelos/Vangelis
Σπυρίδων/Spyridon/Spyros Αντώνιος/Antonios/Antonis Αλέξανδρος/Alexandros Στέφανος/Stefanos Ανδρέας/Andreas
Πέτρος/Petros Θεόδωρος/Theodoros Εμμανουήλ/Emmanouil/Manolis Σταύρος/Stavros`, greek),
		female: parseGiven("el", `Μαρία/Maria Ελένη/Eleni/Helen Αικατερίνη/Aikaterini/Katerina Βασιλική/Vasiliki Σοφία/Sofia/Sophia
Αναστασία/Anastasia Ευαγγελία/Evangelia Γεωργία/Georgia Δήμητρα/Dimitra Ιωάννα/Ioanna Χριστίνα/Christina
Παναγιώτα/Panagiota/Giota Αγγελική/Angeliki Ειρήνη/Eirini/Irini/Irene Κωνσταντίνα/Konstantina Δέσποινα/Despoina/Despina
Αθηνά/Athina Φωτεινή/Foteini/Fotini Ζωή/Zoi/Zoe`, greek),
		family: parseFamily(`Παπαδόπουλος/Papadopoulos=Παπαδοπούλου/Papadopoulou Παπαδάκης/Papadakis=Παπαδάκη/Papadaki
Παππάς/Pappas=Παππά/Pappa Γεωργίου/Georgiou Οικονόμου/Oikonomou/Economou Βασιλείου/Vasileiou/Vasiliou
Νικολάου/Nikolaou Καραγιάννης/Karagiannis=Καραγιάννη/Karagianni Παπανικολάου/Papanikolaou Δημητρίου/Dimitriou
Ιωάννου/Ioannou Κωνσταντίνου/Konstantinou Μακρής/Makris=Μακρή/Makri Αντωνίου/Antoniou Αλεξίου/Alexiou
Χριστοδούλου/Christodoulou Κυριακίδης/Kyriakidis=Κυριακίδου/Kyriakidou Αθανασίου/Athanasiou
Παπαγεωργίου/Papageorgiou Λαμπρόπουλος/Lampropoulos=Λαμπροπούλου/Lampropoulou
Σταυρόπουλος/Stavropoulos=Σταυροπούλου/Stavropoulou Μαυρίδης/Mavridis=Μαυρίδου/Mavridou
Κωστόπουλος/Kostopoulos=Κωστοπούλου/Kostopoulou Αναστασίου/Anastasiou Πετρίδης/Petridis=Πετρίδου/Petridou`, greek, nil),
	}
	addCulture(el, 1.0, 6, 1.0, 6)

	ar := &culture{code: "ar", script: latin, nameChange: 0.05, junior: 0.01,
		male: parseGiven("ar", `Mohammed/Muhammad/Mohamed/Mohammad Ahmed/Ahmad Ali Omar/Umar Youssef/Yusuf/Yousef Ibrahim/Ebrahim
Hassan/Hasan Hussein/Hussain/Husain Khalid/Khaled Abdullah/Abdallah Mahmoud/Mahmud Mustafa/Mostafa Karim/Kareem
Tariq/Tarek Samir/Sameer Walid/Waleed Nabil Rami Fadi Ziad/Ziyad Bilal Hamza Amir/Ameer Yasin/Yassin/Yaseen
Said/Saeed Adel/Adil Jamal/Gamal Rashid/Rachid Anas Faisal/Faysal Suleiman/Sulaiman/Slimane`, latin),
		female: parseGiven("ar", `Fatima/Fatma/Fatimah Aisha/Aicha/Ayesha Mariam/Maryam/Meriem Nour/Noor Layla/Leila/Laila
Yasmin/Yasmine/Jasmin Zainab/Zeinab Huda/Houda Amina/Aminah Salma Rania Hana/Hanaa Sara/Sarah Khadija/Khadidja Reem/Rim
Dina Lina Samira/Sameera Nadia/Nadiya Imane/Iman Asma/Asmaa Malak Hiba Rahma`, latin),
		family: parseFamily(`Al-Sayed/El-Sayed/Elsayed Haddad Khalil Hassan/Hasan Ibrahim Mansour/Mansur Nasser/Nasr
Saleh/Salih Abdullah/Abdallah Aziz Rahman Karim Farouk/Farouq Hamdan Othman/Osman/Uthman Darwish Habib Saad Bakr
Najjar/Al-Najjar Khoury/Khouri Azzam Mahmoud Ali Ahmed Omar Hussein/Hussain Qureshi/Kureshi Benali/Ben_Ali
Benjelloun Chahine/Shahin Mokhtar/Mukhtar Sabbagh Tahan Zaki El-Amin/Elamin Bouzid Belkacem Haddadi Amrani`, latin, nil),
	}
	addCulture(ar, 1.0, 4, 1.0, 8)

	in := &culture{code: "in", script: latin, nameChange: 0.6, junior: 0.01, middleRate: 0.15,
		male: parseGiven("in", `Rahul Amit Rajesh Sanjay Vijay Arjun Rohan Vikram Anil Sunil Ravi Suresh Ramesh Deepak Manish
Aditya Karan Nikhil Pradeep Ashok Arun Kiran Prakash Mohan Vivek Sachin Harish Ajay Gaurav Varun Siddharth Abhishek
Naveen Rakesh Srinivas Venkat Krishna Aarav Vihaan Ishaan Mohammed Imran`, latin),
		female: parseGiven("in", `Priya Anjali Pooja Neha Sunita Anita Kavita Lakshmi Deepa Divya Sneha Shreya Meera Asha Rekha
Geeta/Gita Sita/Seeta Radha Aishwarya Ananya Diya Isha Kavya Nisha Pallavi Rani Swati Usha Vandana Rupa Shalini
Preeti/Priti Aditi Nandini Jyoti`, latin),
		family: parseFamily(`Patel Sharma Singh Kumar Gupta Shah Reddy Rao Iyer Nair Mehta Joshi Desai Chopra Kapoor Malhotra
Agarwal/Agrawal Jain Bhat/Bhatt Verma Mishra Pandey Yadav Das Chatterjee Banerjee Mukherjee Ghosh Bose Menon Pillai
Krishnan Subramanian Naidu Choudhary/Chaudhary/Chowdhury Thakur Saxena Kulkarni Patil Deshpande Sinha Trivedi
Dubey/Dube Goswami Sethi Arora Khanna Bhatia Chauhan`, latin, nil),
	}
	in.middles = formsOf(in.male, in.female)
	addCulture(in, 1.0, 8, 1.0, 4)

	zh := &culture{code: "zh", script: han, familyFirst: true, nameChange: 0, junior: 0,
		family: parseFamily(`王/Wang 李/Li/Lee 张/Zhang/Chang 刘/Liu/Lau 陈/Chen/Chan 杨/Yang/Yeung 黄/Huang/Wong
赵/Zhao/Chiu 吴/Wu/Ng 周/Zhou/Chow 徐/Xu/Hsu 孙/Sun 马/Ma 朱/Zhu/Chu 胡/Hu/Wu 郭/Guo/Kwok 何/He/Ho 林/Lin/Lam
高/Gao/Ko 罗/Luo/Law 郑/Zheng/Cheng 梁/Liang/Leung 谢/Xie/Tse 宋/Song/Sung 唐/Tang 许/Xu/Hui 韩/Han 冯/Feng/Fung
邓/Deng/Tang 曹/Cao/Tso`, han, nil),
		composeMale: parseForms(`伟/Wei 强/Qiang 磊/Lei 军/Jun 洋/Yang 勇/Yong 杰/Jie 涛/Tao 明/Ming 超/Chao 刚/Gang 平/Ping
建/Jian 志/Zhi 浩/Hao 宇/Yu 子/Zi 博/Bo 鹏/Peng 辉/Hui 俊/Jun 文/Wen 华/Hua 晨/Chen 嘉/Jia 睿/Rui 轩/Xuan 泽/Ze
天/Tian 海/Hai`, han),
		composeFemale: parseForms(`芳/Fang 娜/Na 敏/Min 静/Jing 丽/Li 艳/Yan 娟/Juan 秀/Xiu 霞/Xia 桂/Gui 英/Ying 玉/Yu
涵/Han 欣/Xin 怡/Yi 思/Si 雨/Yu 婷/Ting 丹/Dan 琳/Lin 雪/Xue 梅/Mei 慧/Hui 佳/Jia 晓/Xiao 颖/Ying 萱/Xuan 诗/Shi
梓/Zi 可/Ke`, han),
	}
	addCulture(zh, 1, 1, 1.0, 5)

	ja := &culture{code: "ja", script: japanese, familyFirst: true, nativeSpace: true, nameChange: 0.95, junior: 0,
		male: parseGiven("ja", `翔/Sho 大翔/Hiroto 蓮/Ren 悠真/Yuma/Yuuma 湊/Minato 太郎/Taro/Tarou 健太/Kenta 拓也/Takuya
翔太/Shota/Shouta 大輔/Daisuke 健一/Kenichi/Ken'ichi 誠/Makoto 浩/Hiroshi 隆/Takashi 茂/Shigeru 学/Manabu 直樹/Naoki
和也/Kazuya 達也/Tatsuya 亮/Ryo/Ryou 翼/Tsubasa 陽太/Yota/Youta 一郎/Ichiro/Ichirou 修/Osamu 剛/Tsuyoshi`, japanese),
		female: parseGiven("ja", `陽葵/Himari 結衣/Yui 葵/Aoi さくら/Sakura 美咲/Misaki 陽菜/Hina 愛/Ai 優子/Yuko/Yuuko
恵子/Keiko 洋子/Yoko/Youko 幸子/Sachiko 明美/Akemi 裕子/Hiroko 真由美/Mayumi 由美子/Yumiko 直子/Naoko 久美子/Kumiko
智子/Tomoko 美穂/Miho 彩/Aya 千尋/Chihiro 舞/Mai 花子/Hanako 京子/Kyoko/Kyouko`, japanese),
		family: parseFamily(`佐藤/Sato/Satou/Satoh 鈴木/Suzuki 高橋/Takahashi 田中/Tanaka 伊藤/Ito/Itou/Itoh 渡辺/Watanabe
山本/Yamamoto 中村/Nakamura 小林/Kobayashi 加藤/Kato/Katou/Katoh 吉田/Yoshida 山田/Yamada 佐々木/Sasaki
山口/Yamaguchi 松本/Matsumoto 井上/Inoue 木村/Kimura 林/Hayashi 斎藤/Saito/Saitou/Saitoh 清水/Shimizu
山崎/Yamazaki/Yamasaki 森/Mori 池田/Ikeda 橋本/Hashimoto 阿部/Abe 石川/Ishikawa 山下/Yamashita 中島/Nakajima
石井/Ishii 小川/Ogawa 前田/Maeda 岡田/Okada 長谷川/Hasegawa 藤田/Fujita 後藤/Goto/Gotou/Gotoh 近藤/Kondo/Kondou
小島/Kojima 坂本/Sakamoto 遠藤/Endo/Endou 青木/Aoki 藤井/Fujii 西村/Nishimura 福田/Fukuda 太田/Ota/Oota 三浦/Miura
岡本/Okamoto 松田/Matsuda 中川/Nakagawa 中野/Nakano 原田/Harada 小野/Ono 田村/Tamura 竹内/Takeuchi 金子/Kaneko 和田/Wada
中山/Nakayama 石田/Ishida 上田/Ueda 森田/Morita 原/Hara 柴田/Shibata 酒井/Sakai 工藤/Kudo/Kudou 横山/Yokoyama
宮崎/Miyazaki 宮本/Miyamoto 内田/Uchida 高木/Takagi 安藤/Ando/Andou 谷口/Taniguchi 大野/Ono/Oono 丸山/Maruyama
今井/Imai 高田/Takada 藤原/Fujiwara 村上/Murakami`, japanese, nil),
	}
	addCulture(ja, 1, 8, 1.0, 10)

	ko := &culture{code: "ko", script: hangul, familyFirst: true, nameChange: 0, junior: 0,
		male: koreanGiven(`민준/Min-jun 서준/Seo-jun 도윤/Do-yoon 예준/Ye-jun 시우/Si-woo 하준/Ha-jun 지호/Ji-ho
주원/Ju-won 지훈/Ji-hoon 준서/Jun-seo 현우/Hyun-woo 성민/Sung-min 동현/Dong-hyun 영수/Young-soo 정호/Jung-ho
상훈/Sang-hoon 재현/Jae-hyun 승현/Seung-hyun 태윤/Tae-yoon 진우/Jin-woo 민수/Min-soo 영호/Young-ho`),
		female: koreanGiven(`서연/Seo-yeon 지우/Ji-woo 서윤/Seo-yoon 하은/Ha-eun 민서/Min-seo 지민/Ji-min 수빈/Su-bin
예은/Ye-eun 지은/Ji-eun 수연/Su-yeon 은지/Eun-ji 혜진/Hye-jin 미영/Mi-young 영희/Young-hee 지현/Ji-hyun 유나/Yu-na
하윤/Ha-yoon 채원/Chae-won 민지/Min-ji 소영/So-young 수진/Su-jin 은영/Eun-young`),
		family: parseFamily(`김/Kim/Gim 이/Lee/Yi/Rhee 박/Park/Pak 최/Choi/Choe 정/Jung/Jeong/Chung 강/Kang 조/Cho/Jo
윤/Yoon/Yun 장/Jang/Chang 임/Lim/Im 한/Han 오/Oh 서/Seo/Suh 신/Shin 권/Kwon 황/Hwang 안/Ahn 송/Song 류/Ryu/Yoo
홍/Hong`, hangul, nil),
	}
	addCulture(ko, 1, 8, 1.2, 1.5)

	vi := &culture{code: "vi", script: latin, familyFirst: true, nativeSpace: true, middleRate: 0.8, nameChange: 0, junior: 0,
		male: parseGiven("vi", `Minh Anh Huy Khang Bảo Phúc Đức Hùng Dũng Tuấn Long Nam Quang Thắng Hải Sơn Thành Trung Việt
Phong Khoa Hiếu Tâm Tùng`, latin),
		female: parseGiven("vi", `Linh Trang Thảo Hương Lan Mai Ngọc Hà Hoa Nhung Vy Anh Thu Nhi Hạnh Yến Phương Trâm Hằng
Thủy Hiền Nga`, latin),
		family: parseFamily(`Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm
Mai Đào Cao`, latin, nil),
		middles: parseForms(`Văn Thị Đức Minh Ngọc Thanh Quốc Hữu Kim Xuân`, latin),
	}
	addCulture(vi, 1, 6, 1.3, 1.2)
}

// koreanGiven expands the hyphenated romanization into the usual variants:
// Min-jun, Minjun, Min Jun.
func koreanGiven(list string) []givenName {
	var out []givenName
	for _, t := range splitTokens(list) {
		nat, hy, _ := strings.Cut(t, "/")
		a, b, _ := strings.Cut(hy, "-")
		out = append(out, givenName{nameForm: nameForm{native: nat,
			roman: []string{hy, a + b, a + " " + capFirst(b)}}})
	}
	return out
}

func formsOf(lists ...[]givenName) []nameForm {
	var out []nameForm
	for _, l := range lists {
		for _, g := range l {
			out = append(out, g.nameForm)
		}
	}
	return out
}

// pickGiven draws a given name of the culture and gender.
func (c *culture) pickGiven(r *rand.Rand, female bool) givenName {
	if c.composeMale != nil {
		return c.composeGiven(r, female)
	}
	if female {
		return c.female[c.femaleW.pick(r)]
	}
	return c.male[c.maleW.pick(r)]
}

// composeGiven builds a Chinese given name of one or two syllables; two is
// the modern norm. Romanized forms: Zihan, Zi Han, Zi-Han.
func (c *culture) composeGiven(r *rand.Rand, female bool) givenName {
	list := c.composeMale
	if female {
		list = c.composeFemale
	}
	a := list[zipfIndex(r, len(list), 3)]
	if r.Float64() < 0.25 {
		return givenName{nameForm: a}
	}
	b := list[zipfIndex(r, len(list), 3)]
	ra, rb := a.roman[0], b.roman[0]
	lb := strings.ToLower(rb)
	return givenName{nameForm: nameForm{native: a.native + b.native,
		roman: []string{ra + lb, ra + " " + rb, ra + "-" + rb}}}
}

func (c *culture) pickFamily(r *rand.Rand) familyName {
	if c.tail != nil && r.Float64() < c.tailShare {
		return c.tail(r)
	}
	return c.family[c.familyW.pick(r)]
}

func (c *culture) pickMiddle(r *rand.Rand, female bool) nameForm {
	if c.code == "vi" {
		// Vietnamese middle names: Văn for men and Thị for women are the
		// classic markers; others are shared.
		if r.Float64() < 0.5 {
			if female {
				return c.middles[1]
			}
			return c.middles[0]
		}
		return c.middles[2+r.IntN(len(c.middles)-2)]
	}
	if len(c.middles) == 0 {
		return nameForm{}
	}
	g := c.pickGiven(r, female)
	return g.nameForm
}

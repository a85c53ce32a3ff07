package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Places. Each country has a handful of large cities (weighted by rough
// population), their regions, postcode shapes and landline area codes, a
// street-name book, mobile number ranges, email providers, a currency and a
// mix of naming cultures. Postcodes have the right shape and a plausible
// prefix for the city; they are not checked against postal databases.
// Phone numbers are drawn from ranges that libphonenumber accepts as valid
// for the country (tested), so they may be real, assigned numbers: the data
// is for testing software, never for calling or mailing anyone.

type addrStyle uint8

const (
	styleUS addrStyle = iota // 12 Main St, Apt 4
	styleGB                  // Flat 3, 12 High Street
	styleAU                  // 4/12 George St
	styleDE                  // Hauptstraße 12a
	styleFR                  // 12 bis rue de la Paix
	styleES                  // Calle Mayor, 12, 3º B
	styleIT                  // Via Roma 12
	stylePL                  // ul. Długa 12/4
	styleSE                  // Storgatan 12, lgh 1102
	styleJP                  // 1-2-3 Jinnan
)

// streetKind is a street type with its spellings, full form first
// (Street, St, St.). Sources differ in which they write.
type streetKind struct {
	forms  []string
	prefix bool // written before the name (rue, Calle, Via, ul.)
	attach bool // glued to the name (Hauptstraße, Storgatan)
}

type addressBook struct {
	style  addrStyle
	names  []string
	namesW weighted
	kinds  []streetKind
	kindsW weighted
}

type city struct {
	idx         int // global index, for per-city counters
	country     *country
	name        string
	alts        []string // other spellings (Munich, München, Muenchen)
	region      string   // subdivision code (CA, NSW, BY)
	regionCode  string   // country-subdivision, as events write it (US-CA)
	regionNames []string // as written: code and/or full name
	postcodes   []string // patterns: # digit, @ UK inward letter, % Canadian letter, {lo-hi} range
	areas       []string // landline prefixes of the national significant number
	leads       []string // per area, the digits a local number may start with
	areaLen     int      // total NSN length of a landline
	tz          *time.Location
	book        *addressBook // nil: the country's
}

type country struct {
	idx          int
	code         string   // ISO 3166-1 alpha-2
	names        []string // as written in country columns: GB, UK, United Kingdom...
	cc           string   // calling code
	trunk        string   // national trunk prefix ("0"), "" where there is none
	mobile       []string // mobile prefixes of the NSN, all the same length
	mobileLen    int      // NSN length of a mobile number
	landlineRate float64  // share of households with a landline
	cultures     []*culture
	culturesW    weighted
	cities       []*city
	citiesW      weighted
	book         *addressBook
	domains      []string
	domainsW     weighted
	workTLD      string
	currency     string
	fx           float64 // units per US dollar, for plausible amounts
	minor        int     // digits after the decimal point
	dateLayout   string  // how local web forms write a birth date
}

var (
	countries     []*country
	countryByCode = map[string]*country{}
	allCities     []*city
)

// defaultCountryWeights is the residence mix of the default configuration.
var defaultCountryWeights = map[string]float64{
	"US": 30, "GB": 14, "DE": 10, "FR": 8, "JP": 6, "CA": 6, "AU": 6, "ES": 6, "IT": 6, "PL": 4, "SE": 4,
}

func parseWeights(s string) (names []string, w []float64) {
	for _, t := range strings.Fields(s) {
		k, v, _ := strings.Cut(t, ":")
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			panic("synth: bad weight " + t)
		}
		names = append(names, strings.ReplaceAll(k, "_", " "))
		w = append(w, f)
	}
	return names, w
}

func newBook(style addrStyle, names, kinds string, prefix, attach bool) *addressBook {
	b := &addressBook{style: style}
	for _, n := range strings.Split(names, ",") {
		b.names = append(b.names, strings.TrimSpace(n))
	}
	b.namesW = newWeighted(zipfWeights(len(b.names), 0.8, 3))
	var kw []float64
	for _, k := range strings.Split(kinds, ";") {
		forms := strings.Split(strings.TrimSpace(k), "|")
		b.kinds = append(b.kinds, streetKind{forms: forms, prefix: prefix, attach: attach})
		kw = append(kw, 1)
	}
	b.kindsW = newWeighted(zipfWeights(len(kw), 1.1, 1))
	return b
}

// cityRows: name|alts;...|region|regionNames;...|postcodes;...|areas;... or areas:len|population (thousands)|UTC offset hours
type countrySpec struct {
	code, names, cc, trunk, mobile string
	mobileLen                      int
	areaLen                        int
	landline                       float64
	cultures                       string
	book                           *addressBook
	domains                        string
	workTLD, currency              string
	fx                             float64
	minor                          int
	dateLayout                     string
	tz                             float64
	cities                         string
}

func init() {
	usBook := newBook(styleUS, `Main, Oak, Pine, Maple, Cedar, Elm, Washington, Lake, Hill, Park, Second, Third, Sunset,
Lincoln, Jefferson, Madison, Church, Walnut, Highland, River, Spring, Ridge, Meadow, Forest, Franklin, Jackson,
Chestnut, Willow, Center, Mill, Market, Union, Prospect, Valley, Cherry, Dogwood, Sycamore, Hickory, Birch, Adams,
Lakeview, Woodland, Grant, Jones, Green, Sixth, Fifth, Fourth, First, College, Railroad, Hillcrest, Summit`,
		`Street|St|St.;Avenue|Ave|Ave.|Av;Road|Rd|Rd.;Drive|Dr|Dr.;Lane|Ln|Ln.;Boulevard|Blvd|Blvd.;Court|Ct|Ct.;Place|Pl|Pl.;Way|Way;Circle|Cir|Cir.;Terrace|Ter|Ter.`,
		false, false)
	gbBook := newBook(styleGB, `High, Station, Church, Victoria, Park, Green, Manor, Queen's, King's, Mill, School,
London, Albert, Grove, York, North, Springfield, Chester, Windsor, Oxford, New, Main, The Crescent, Kingsway, Elm,
Orchard, Cedar, Meadow, Highfield, Stanley, Richmond, George, Alexandra, Beech, Church Hill`,
		`Street|St|St.;Road|Rd|Rd.;Lane|Ln;Avenue|Ave|Av.;Close|Cl;Drive|Dr;Gardens|Gdns;Crescent|Cres;Way|Way;Grove|Gr;Terrace|Terr|Tce;Place|Pl;Court|Ct`,
		false, false)
	auBook := newBook(styleAU, `George, Pitt, Elizabeth, Collins, Bourke, King, Queen, Victoria, Church, High, Railway,
Beach, Ocean, Station, Albert, William, Park, Main, Bay, Hill, Smith, Swanston, Flinders, Anzac, Pacific, Military`,
		`Street|St|St.;Road|Rd|Rd.;Avenue|Ave|Av;Parade|Pde;Drive|Dr;Crescent|Cres;Highway|Hwy;Place|Pl;Lane|Ln;Terrace|Tce;Court|Ct`,
		false, false)
	deBook := newBook(styleDE, `Haupt, Schul, Garten, Bahnhof, Dorf, Berg, Kirch, Wald, Linden, Birken, Eichen, Goethe,
Schiller, Mozart, Friedrich, Wilhelm, Kaiser, Rosen, Sonnen, Wiesen, Feld, Mühlen, Park, Ring, Beethoven, Jahn, Tal,
Buchen, Ahorn, Post, Markt, Burg`,
		`straße|str.|strasse|Str.;weg|Weg;allee|Allee;platz|pl.|Platz;gasse|Gasse`,
		false, true)
	frBook := newBook(styleFR, `de la Paix, Victor Hugo, Jean Jaurès, Pasteur, de la République, du Général de Gaulle,
Nationale, de l'Église, des Écoles, de la Gare, du Moulin, des Lilas, des Tilleuls, Voltaire, Gambetta, Carnot,
Saint-Michel, de Verdun, Émile Zola, Jules Ferry, de la Liberté, du Château, des Vignes, Foch, de Lyon, de Paris`,
		`rue|r.|R.|Rue;avenue|av.|Av.|ave;boulevard|bd|Bd|boul.;place|pl.|Pl.;chemin|ch.|chem.;allée|all.|Allée;impasse|imp.|Imp.`,
		true, false)
	esBook := newBook(styleES, `Mayor, Gran Vía, Alcalá, Serrano, de la Princesa, de Atocha, del Prado, Real, Nueva,
San Juan, Santa María, de la Constitución, Cervantes, Colón, de España, Goya, Velázquez, del Sol, de la Luna,
de la Iglesia, del Río, Castilla, Andalucía, Valencia, San Francisco`,
		`Calle|C/|C.|Cl.;Avenida|Avda.|Av.|Avda;Plaza|Pza.|Pl.|Plz.;Paseo|Pº|P.º|Pso.;Camino|Cno.|Cmno.`,
		true, false)
	itBook := newBook(styleIT, `Roma, Garibaldi, Mazzini, Cavour, Dante, Vittorio Emanuele II, Giuseppe Verdi,
Marconi, XX Settembre, della Repubblica, Nazionale, Cristoforo Colombo, dei Mille, San Giovanni, Manzoni, Matteotti,
Kennedy, Gramsci, Torino, Milano, IV Novembre, Umberto I, Trieste, Dante Alighieri`,
		`Via|V.|via;Viale|V.le|viale;Piazza|P.za|P.zza|piazza;Corso|C.so|corso;Largo|L.go;Vicolo|Vic.`,
		true, false)
	plBook := newBook(stylePL, `Marszałkowska, Długa, Polna, Leśna, Słoneczna, Krótka, Szkolna, Ogrodowa, Lipowa,
Brzozowa, Kwiatowa, Kościuszki, Mickiewicza, Sienkiewicza, Piłsudskiego, Jana Pawła II, 3 Maja, Kolejowa, Parkowa,
Wiejska, Zielona, Łąkowa, Kościelna, Słowackiego, Warszawska, Kopernika, Żeromskiego, Reymonta`,
		`ul.|ulica|ul|UL.;al.|aleja|Al.|aleje;pl.|plac|Pl.;os.|osiedle`,
		true, false)
	seBook := newBook(styleSE, `Stor, Drottning, Kungs, Vasa, Oden, Göt, Horns, Skol, Kyrko, Järnvägs, Strand, Park,
Ring, Björk, Tall, Ek, Sjö, Norr, Söder, Väster, Öster, Torg, Bruks, Skogs, Ängs`,
		`gatan|g.|gata;vägen|v.|väg;stigen|st.;gränd|gr.`,
		false, true)
	jpBook := newBook(styleJP, `Jinnan, Ginza, Akasaka, Aoyama, Umeda, Namba, Sakae, Tenjin, Motomachi, Honcho, Nishiki,
Shinmachi, Kitahama, Ebisu, Daikanyama, Yoyogi, Sendagaya, Kanda, Nihonbashi, Marunouchi, Hakata, Minami, Chuo,
Higashi, Nishi, Kita`,
		`chome|Chome|丁目`, false, false)

	specs := []countrySpec{
		{code: "US", names: "US|USA|United States|United States of America|U.S.|U.S.A.", cc: "1", trunk: "",
			mobile: "", mobileLen: 10, areaLen: 10, landline: 0.3,
			cultures: "en:62 es:16 zh:3 in:3 ko:1.5 vi:1.5 de:2 it:2 pl:1 ru:1.5 ar:1.5 fr:1 el:0.5 pt:1 ja:0.5 nordic:0.5",
			book:     usBook,
			domains:  "gmail.com:40 yahoo.com:14 hotmail.com:8 outlook.com:8 icloud.com:8 aol.com:4 comcast.net:3 msn.com:2 live.com:2 me.com:2 att.net:2 verizon.net:1 protonmail.com:1",
			workTLD:  ".com", currency: "USD", fx: 1, minor: 2, dateLayout: "01/02/2006", tz: -5,
			cities: `New York|New York City;NYC|NY|NY;New York|100##;101##;102##;103##;104##;112##|212;646;718;917;347|8300|-5
Los Angeles|LA|CA|CA;California|900##;901##;902##|213;310;323;424;818|3900|-8
Chicago||IL|IL;Illinois|606##;607##|312;773;872|2700|-6
Houston||TX|TX;Texas|770##;772##|713;281;832|2300|-6
Phoenix||AZ|AZ;Arizona|850##|602;480;623|1600|-7
Philadelphia|Phila|PA|PA;Pennsylvania|191##|215;267|1600|-5
San Antonio||TX|TX;Texas|782##|210|1400|-6
San Diego||CA|CA;California|921##|619;858|1400|-8
Dallas||TX|TX;Texas|752##|214;469;972|1300|-6
San Jose||CA|CA;California|951##|408;669|1000|-8
Austin||TX|TX;Texas|787##|512;737|960|-6
Jacksonville||FL|FL;Florida|322##|904|950|-5
Columbus||OH|OH;Ohio|432##|614|900|-5
Charlotte||NC|NC;North Carolina|282##|704;980|870|-5
Seattle||WA|WA;Washington|981##|206|740|-8
Denver||CO|CO;Colorado|802##|303;720|710|-7
Boston||MA|MA;Massachusetts|021##|617;857|690|-5
Nashville||TN|TN;Tennessee|372##|615|690|-6
Portland||OR|OR;Oregon|972##|503;971|650|-8
Las Vegas||NV|NV;Nevada|891##|702;725|640|-8
Atlanta||GA|GA;Georgia|303##|404;678;470|500|-5
Miami||FL|FL;Florida|331##|305;786|450|-5
Minneapolis||MN|MN;Minnesota|554##|612|430|-6
St. Louis|Saint Louis;St Louis|MO|MO;Missouri|631##|314|300|-6
Saint Paul|St. Paul;St Paul|MN|MN;Minnesota|551##|651|310|-6
Springfield||IL|IL;Illinois|627##|217|115|-6
Springfield||MA|MA;Massachusetts|011##|413|155|-5
Portland||ME|ME;Maine|041##|207|68|-5
Salt Lake City|SLC|UT|UT;Utah|841##|801|200|-7
Pittsburgh||PA|PA;Pennsylvania|152##|412|300|-5`},
		{code: "CA", names: "CA|CAN|Canada", cc: "1", trunk: "", mobileLen: 10, areaLen: 10, landline: 0.3,
			cultures: "en:60 fr:18 zh:6 in:5 it:2 pt:2 es:2 ko:1 vi:1 ar:2 pl:1",
			book:     usBook,
			domains:  "gmail.com:40 hotmail.com:12 yahoo.ca:8 outlook.com:8 icloud.com:6 rogers.com:4 shaw.ca:3 sympatico.ca:3 live.ca:2 videotron.ca:2",
			workTLD:  ".ca", currency: "CAD", fx: 1.36, minor: 2, dateLayout: "2006-01-02", tz: -5,
			cities: `Toronto||ON|ON;Ontario|M#% #%#|416;647;437|2800|-5
Montréal|Montreal|QC|QC;Québec;Quebec|H#% #%#|514;438|1780|-5|fr
Vancouver||BC|BC;British Columbia|V#% #%#|604;778|680|-8
Calgary||AB|AB;Alberta|T#% #%#|403;587|1300|-7
Ottawa||ON|ON;Ontario|K#% #%#|613;343|1000|-5
Edmonton||AB|AB;Alberta|T#% #%#|780;587|1000|-7
Winnipeg||MB|MB;Manitoba|R#% #%#|204;431|750|-6
Québec|Quebec City;Québec City;Quebec|QC|QC;Québec;Quebec|G#% #%#|418;581|550|-5|fr`},
		{code: "GB", names: "GB|UK|United Kingdom|Great Britain|England|U.K.", cc: "44", trunk: "0",
			mobile:    "71,72,73,740,741,742,743,744,746,747,748,749,751,753,754,755,756,757,758,759,771,772,773,774,775,776,777,780,781,784,785,786,787,788,789,790,792,794,795,796,797,798,799",
			mobileLen: 10, areaLen: 10, landline: 0.5,
			cultures: "en:78 in:7 pl:3 ar:3 zh:2 fr:1 it:1 pt:1 es:1 ru:1 el:0.5 de:1 nordic:0.5",
			book:     gbBook,
			domains:  "gmail.com:35 hotmail.co.uk:12 yahoo.co.uk:8 outlook.com:8 icloud.com:7 btinternet.com:6 live.co.uk:4 sky.com:4 aol.co.uk:2 virginmedia.com:3 talktalk.net:2 googlemail.com:3",
			workTLD:  ".co.uk", currency: "GBP", fx: 0.79, minor: 2, dateLayout: "02/01/2006", tz: 0,
			cities: `London||LND|Greater London;London|SW1A #@@;E1 #@@;N1 #@@;NW3 #@@;SE1 #@@;W2 #@@;EC1A #@@;WC2H #@@;SW11 #@@;E14 #@@;N7 #@@;SE15 #@@;W5 #@@|203;207;208|8900|0
Birmingham||BIR|West Midlands|B1 #@@;B5 #@@;B15 #@@;B29 #@@|121[2-7]|1150|0
Manchester||MAN|Greater Manchester|M1 #@@;M4 #@@;M14 #@@;M20 #@@|161|550|0
Leeds||LDS|West Yorkshire|LS1 #@@;LS6 #@@;LS11 #@@|113[2-58]|790|0
Glasgow||GLG|Glasgow City;Scotland|G1 #@@;G3 #@@;G12 #@@;G41 #@@|141|630|0
Sheffield||SHF|South Yorkshire|S1 #@@;S10 #@@;S11 #@@|114[2-5]|580|0
Liverpool||LIV|Merseyside|L1 #@@;L8 #@@;L17 #@@|151|500|0
Bristol||BST|Bristol;Avon|BS1 #@@;BS6 #@@;BS8 #@@|117[2-49]|470|0
Edinburgh||EDH|City of Edinburgh;Scotland|EH1 #@@;EH3 #@@;EH10 #@@|131[2-8]|520|0
Cardiff|Caerdydd|CRF|South Glamorgan;Wales|CF10 #@@;CF11 #@@;CF24 #@@|292|360|0
Newcastle upon Tyne|Newcastle|NET|Tyne and Wear|NE1 #@@;NE4 #@@;NE6 #@@|191|300|0
Nottingham||NGM|Nottinghamshire|NG1 #@@;NG7 #@@|115[26-9]|330|0
Leicester||LCE|Leicestershire|LE1 #@@;LE2 #@@|116[2-4]|360|0
Belfast||BFS|County Antrim;Northern Ireland|BT1 #@@;BT9 #@@|289|340|0`},
		{code: "AU", names: "AU|AUS|Australia", cc: "61", trunk: "0", mobile: "40,41,42,43", mobileLen: 9, areaLen: 9, landline: 0.35,
			cultures: "en:70 zh:6 in:4 it:4 el:3 vi:3 ar:2 ko:1 es:1 de:1 ja:0.5",
			book:     auBook,
			domains:  "gmail.com:38 hotmail.com:10 outlook.com:8 yahoo.com.au:8 bigpond.com:8 icloud.com:8 optusnet.com.au:4 live.com.au:3",
			workTLD:  ".com.au", currency: "AUD", fx: 1.52, minor: 2, dateLayout: "02/01/2006", tz: 10,
			cities: `Sydney||NSW|NSW;New South Wales|2000;20{06-99};21##|29;28|5300|10
Melbourne||VIC|VIC;Victoria|3000;30{01-99};31##|39;38|5100|10
Brisbane||QLD|QLD;Queensland|4000;40{01-99};41##|73|2600|10
Perth||WA|WA;Western Australia|6000;60{01-99};61##|89;86[2-8]|2100|8
Adelaide||SA|SA;South Australia|5000;50{01-99}|88|1400|9.5
Canberra||ACT|ACT;Australian Capital Territory|2600;26{01-18}|26|460|10
Hobart||TAS|TAS;Tasmania|7000;70{01-99}|362|250|10
Gold Coast||QLD|QLD;Queensland|42{07-29}|755|700|10`},
		{code: "DE", names: "DE|DEU|Germany|Deutschland", cc: "49", trunk: "0",
			mobile: "151,152,157,159,160,162,163,170,171,172,173,174,175,176,177,178,179", mobileLen: 11, areaLen: 10, landline: 0.6,
			cultures: "de:80 pl:4 ru:4 el:2 it:3 ar:3 es:1 fr:1 pt:1 vi:1",
			book:     deBook,
			domains:  "gmail.com:22 gmx.de:18 web.de:18 t-online.de:10 outlook.de:5 yahoo.de:5 hotmail.de:4 gmx.net:6 icloud.com:4 freenet.de:3 posteo.de:1",
			workTLD:  ".de", currency: "EUR", fx: 0.92, minor: 2, dateLayout: "02.01.2006", tz: 1,
			cities: `Berlin||BE|Berlin|10###;12###;13###;14###|30|3700|1
Hamburg||HH|Hamburg|20###;21###;22###|40|1900|1
München|Munich;Muenchen;Munchen|BY|Bayern;Bavaria|80###;81###|89|1500|1
Köln|Cologne;Koeln;Koln|NW|Nordrhein-Westfalen;NRW|50###;51###|221|1100|1
Frankfurt am Main|Frankfurt;Frankfurt a.M.;Frankfurt/Main|HE|Hessen|60###|69|760|1
Stuttgart||BW|Baden-Württemberg|70###|711|630|1
Düsseldorf|Duesseldorf;Dusseldorf|NW|Nordrhein-Westfalen;NRW|40###|211|620|1
Leipzig||SN|Sachsen|04###|341|600|1
Dortmund||NW|Nordrhein-Westfalen;NRW|44###|231|590|1
Essen||NW|Nordrhein-Westfalen;NRW|45###|201|580|1
Bremen||HB|Bremen|28###|421|570|1
Dresden||SN|Sachsen|01###|351|560|1
Hannover|Hanover|NI|Niedersachsen|30###|511|540|1
Nürnberg|Nuremberg;Nuernberg;Nurnberg|BY|Bayern;Bavaria|90###|911|520|1`},
		{code: "FR", names: "FR|FRA|France", cc: "33", trunk: "0", mobile: "60,61,62,64,65,66,67,68,75,76,77,78", mobileLen: 9, areaLen: 9, landline: 0.45,
			cultures: "fr:82 ar:8 pt:4 es:2 it:2 zh:1 vi:1",
			book:     frBook,
			domains:  "gmail.com:35 orange.fr:14 hotmail.fr:10 yahoo.fr:8 free.fr:8 laposte.net:6 sfr.fr:6 outlook.fr:4 wanadoo.fr:4 icloud.com:3",
			workTLD:  ".fr", currency: "EUR", fx: 0.92, minor: 2, dateLayout: "02/01/2006", tz: 1,
			cities: `Paris||IDF|Île-de-France;Ile-de-France|750{01-20}|14;15|2100|1
Marseille||PAC|Provence-Alpes-Côte d'Azur;PACA|130{01-16}|491|870|1
Lyon||ARA|Auvergne-Rhône-Alpes|6900{1-9}|472;478|520|1
Toulouse||OCC|Occitanie|31000;31100;31200;31300;31400;31500|561|490|1
Nice||PAC|Provence-Alpes-Côte d'Azur;PACA|06000;06100;06200;06300|493|340|1
Nantes||PDL|Pays de la Loire|44000;44100;44200;44300|240|320|1
Strasbourg||GES|Grand Est|67000;67100;67200|388|290|1
Montpellier||OCC|Occitanie|34000;34070;34080;34090|467|300|1
Bordeaux||NAQ|Nouvelle-Aquitaine|33000;33100;33200;33300;33800|556|260|1
Lille||HDF|Hauts-de-France|59000;59160;59260;59800|320|235|1`},
		{code: "ES", names: "ES|ESP|Spain|España|Espana", cc: "34", trunk: "", mobile: "6,71,72,73,74", mobileLen: 9, areaLen: 9, landline: 0.4,
			cultures: "es:90 ar:3 pt:1 ru:1 zh:1 it:1 fr:1 de:1 en:1",
			book:     esBook,
			domains:  "gmail.com:45 hotmail.com:18 yahoo.es:8 outlook.es:6 hotmail.es:6 telefonica.net:3 icloud.com:3",
			workTLD:  ".es", currency: "EUR", fx: 0.92, minor: 2, dateLayout: "02/01/2006", tz: 1,
			cities: `Madrid||MD|Madrid;Comunidad de Madrid|280{01-55}|91|3300|1
Barcelona||CT|Barcelona;Cataluña;Catalunya|080{01-42}|93|1650|1
Valencia|València|VC|Valencia;Comunitat Valenciana|460{01-26}|96|800|1
Sevilla|Seville|AN|Sevilla;Andalucía;Andalucia|410{01-20}|954|690|1
Zaragoza||AR|Zaragoza;Aragón;Aragon|500{01-20}|976|680|1
Málaga|Malaga|AN|Málaga;Andalucía;Andalucia|290{01-18}|952|580|1
Bilbao||PV|Bizkaia;País Vasco;Euskadi|480{01-15}|944|350|1`},
		{code: "IT", names: "IT|ITA|Italy|Italia", cc: "39", trunk: "", mobile: "32,33,34,35,36,38,39", mobileLen: 10, areaLen: 10, landline: 0.5,
			cultures: "it:92 ar:2 es:1 ru:1 zh:2 in:1 pl:1",
			book:     itBook,
			domains:  "gmail.com:38 libero.it:14 hotmail.it:10 yahoo.it:8 alice.it:5 virgilio.it:5 outlook.it:4 tiscali.it:3 icloud.com:3",
			workTLD:  ".it", currency: "EUR", fx: 0.92, minor: 2, dateLayout: "02/01/2006", tz: 1,
			cities: `Roma|Rome|RM|RM;Roma;Lazio|001{18-99}|06[2-57-9]|2800|1
Milano|Milan|MI|MI;Milano;Lombardia|201{21-62}|02|1400|1
Napoli|Naples|NA|NA;Napoli;Campania|801{21-47}|081:10|910|1
Torino|Turin|TO|TO;Torino;Piemonte|101{21-56}|011:10|850|1
Palermo||PA|PA;Palermo;Sicilia|901{21-51}|091:10|630|1
Genova|Genoa|GE|GE;Genova;Liguria|161{21-67}|010:10|560|1
Bologna||BO|BO;Bologna;Emilia-Romagna|401{21-41}|051:10|390|1
Firenze|Florence|FI|FI;Firenze;Toscana|501{21-45}|055:10|360|1`},
		{code: "PL", names: "PL|POL|Poland|Polska", cc: "48", trunk: "", mobile: "50,51,53,57,60,66,69,72,73,78,79,88", mobileLen: 9, areaLen: 9, landline: 0.25,
			cultures: "pl:95 ru:4 de:1",
			book:     plBook,
			domains:  "gmail.com:35 wp.pl:15 o2.pl:12 onet.pl:12 interia.pl:10 op.pl:5 yahoo.com:2",
			workTLD:  ".pl", currency: "PLN", fx: 3.95, minor: 2, dateLayout: "02.01.2006", tz: 1,
			cities: `Warszawa|Warsaw|MZ|mazowieckie;Mazowieckie;woj. mazowieckie|0{0-4}-###|22|1800|1
Kraków|Krakow;Cracow|MA|małopolskie;Małopolskie|3{0-1}-###|12|800|1
Łódź|Lodz|LD|łódzkie;Łódzkie|9{0-4}-###|42|670|1
Wrocław|Wroclaw|DS|dolnośląskie;Dolnośląskie|5{0-4}-###|71|670|1
Poznań|Poznan|WP|wielkopolskie;Wielkopolskie|6{0-1}-###|61|540|1
Gdańsk|Gdansk|PM|pomorskie;Pomorskie|80-###|58|470|1
Szczecin||ZP|zachodniopomorskie|7{0-1}-###|91|400|1
Lublin||LU|lubelskie;Lubelskie|20-###|81|340|1`},
		{code: "SE", names: "SE|SWE|Sweden|Sverige", cc: "46", trunk: "0", mobile: "70,72,73,76,79", mobileLen: 9, areaLen: 9, landline: 0.2,
			cultures: "nordic:88 ar:5 pl:2 ru:1 el:1 en:1 de:1 fr:0.5",
			book:     seBook,
			domains:  "gmail.com:40 hotmail.com:15 outlook.com:8 telia.com:8 yahoo.se:5 live.se:5 icloud.com:5 bredband.net:3",
			workTLD:  ".se", currency: "SEK", fx: 10.4, minor: 2, dateLayout: "2006-01-02", tz: 1,
			cities: `Stockholm||AB|Stockholms län;Stockholm|1{11-18} ##|8|1600|1
Göteborg|Gothenburg;Goteborg|O|Västra Götalands län;Västra Götaland|41# ##|31|600|1
Malmö|Malmo|M|Skåne län;Skåne|21# ##|40|350|1
Uppsala||C|Uppsala län|75# ##|18|240|1
Västerås|Vasteras|U|Västmanlands län|72# ##|21|130|1
Örebro|Orebro|T|Örebro län|70# ##|19|125|1`},
		{code: "JP", names: "JP|JPN|Japan|日本", cc: "81", trunk: "0", mobile: "901,902,903,904,905,906,907,908,909,801,802,803,804,805,806,807,808,809,701,702,703,704,705,706,707,708,709", mobileLen: 10, areaLen: 9, landline: 0.5,
			cultures: "ja:94 ko:3 zh:3",
			book:     jpBook,
			domains:  "gmail.com:30 yahoo.co.jp:25 docomo.ne.jp:10 ezweb.ne.jp:8 softbank.ne.jp:6 icloud.com:8 outlook.jp:4 nifty.com:3",
			workTLD:  ".co.jp", currency: "JPY", fx: 150, minor: 0, dateLayout: "2006/01/02", tz: 9,
			cities: `Tokyo|東京|13|Tokyo;東京都|1{00-78}-####|3|9700|9
Osaka|大阪|27|Osaka;大阪府|5{30-59}-####|6|2700|9
Yokohama|横浜|14|Kanagawa;神奈川県|2{20-46}-####|45|3700|9
Nagoya|名古屋|23|Aichi;愛知県|4{50-68}-####|52|2300|9
Sapporo|札幌|01|Hokkaido;北海道|0{60-65}-####|11[235678]|1900|9
Fukuoka|福岡|40|Fukuoka;福岡県|8{10-19}-####|92|1600|9
Kyoto|京都|26|Kyoto;京都府|6{00-16}-####|75|1450|9`},
	}
	for _, s := range specs {
		addCountry(s, frBook)
	}
}

func addCountry(s countrySpec, frBook *addressBook) {
	c := &country{idx: len(countries), code: s.code, names: strings.Split(s.names, "|"), cc: s.cc, trunk: s.trunk,
		mobileLen: s.mobileLen, landlineRate: s.landline, book: s.book, workTLD: s.workTLD, currency: s.currency,
		fx: s.fx, minor: s.minor, dateLayout: s.dateLayout}
	if s.mobile != "" {
		c.mobile = strings.Split(s.mobile, ",")
		for _, p := range c.mobile {
			if len(p) != len(c.mobile[0]) {
				// Uneven prefix lengths would make the prefix ambiguous when
				// numbering; pad shorter ones by expanding them.
				c.mobile = expandPrefixes(c.mobile)
				break
			}
		}
	}
	cn, cw := parseWeights(s.cultures)
	for _, n := range cn {
		cu := cultures[n]
		if cu == nil {
			panic("synth: unknown culture " + n)
		}
		c.cultures = append(c.cultures, cu)
	}
	c.culturesW = newWeighted(cw)
	c.domains, cw = parseWeights(s.domains)
	c.domainsW = newWeighted(cw)
	var pops []float64
	for _, row := range strings.Split(s.cities, "\n") {
		f := strings.Split(strings.TrimSpace(row), "|")
		if len(f) < 8 {
			panic("synth: bad city row " + row)
		}
		ct := &city{idx: len(allCities), country: c, name: f[0], region: f[2], regionNames: strings.Split(f[3], ";"),
			postcodes: strings.Split(f[4], ";")}
		ct.regionCode = c.code + "-" + ct.region
		if f[1] != "" {
			ct.alts = strings.Split(f[1], ";")
		}
		ct.areaLen = s.areaLen
		for _, a := range strings.Split(f[5], ";") {
			if p, l, ok := strings.Cut(a, ":"); ok {
				a = p
				ct.areaLen, _ = strconv.Atoi(l)
			}
			leads := "23456789"
			if p, class, ok := strings.Cut(a, "["); ok {
				a, leads = p, expandClass(strings.TrimSuffix(class, "]"))
			}
			if len(ct.areas) > 0 && len(a) != len(ct.areas[0]) {
				panic("synth: uneven area code lengths in " + f[0])
			}
			ct.areas = append(ct.areas, a)
			ct.leads = append(ct.leads, leads)
		}
		pop, _ := strconv.ParseFloat(f[6], 64)
		pops = append(pops, pop)
		off, _ := strconv.ParseFloat(f[7], 64)
		ct.tz = time.FixedZone("", int(off*3600))
		if len(f) > 8 && f[8] == "fr" {
			ct.book = frBook
		}
		c.cities = append(c.cities, ct)
		allCities = append(allCities, ct)
	}
	c.citiesW = newWeighted(pops)
	countries = append(countries, c)
	countryByCode[c.code] = c
}

// expandClass expands a character class body such as "2-58" to "23458".
func expandClass(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if i+2 < len(s) && s[i+1] == '-' {
			for d := s[i]; d <= s[i+2]; d++ {
				b = append(b, d)
			}
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// expandPrefixes lengthens shorter prefixes by one digit until all have the
// length of the longest, so that numbering by prefix index stays uniform.
func expandPrefixes(ps []string) []string {
	longest := 0
	for _, p := range ps {
		longest = max(longest, len(p))
	}
	var out []string
	for _, p := range ps {
		if len(p) == longest {
			out = append(out, p)
			continue
		}
		for d := '0'; d <= '9'; d++ {
			out = append(out, p+string(d))
		}
	}
	return expandIfUneven(out)
}

func expandIfUneven(ps []string) []string {
	for _, p := range ps {
		if len(p) != len(ps[0]) {
			return expandPrefixes(ps)
		}
	}
	return ps
}

func (b *addressBook) bookOf(c *city) *addressBook {
	if c.book != nil {
		return c.book
	}
	return b
}

// postcode fills a pattern: # digit, @ letter of the UK inward code, %
// letter of a Canadian postal code, {lo-hi} a zero-padded number in range.
func postcode(r *rand.Rand, pat string, buf []byte) []byte {
	const ukInward = "ABDEFGHJLNPQRSTUWXYZ"
	const caLetters = "ABCEGHJKLMNPRSTVWXYZ"
	for i := 0; i < len(pat); i++ {
		switch ch := pat[i]; ch {
		case '#':
			buf = append(buf, byte('0'+r.IntN(10)))
		case '@':
			buf = append(buf, ukInward[r.IntN(len(ukInward))])
		case '%':
			buf = append(buf, caLetters[r.IntN(len(caLetters))])
		case '{':
			end := strings.IndexByte(pat[i:], '}')
			lo, hi, _ := strings.Cut(pat[i+1:i+end], "-")
			l, _ := strconv.Atoi(lo)
			h, _ := strconv.Atoi(hi)
			v := l + r.IntN(h-l+1)
			s := strconv.Itoa(v)
			for range len(lo) - len(s) {
				buf = append(buf, '0')
			}
			buf = append(buf, s...)
			i += end
		default:
			buf = append(buf, ch)
		}
	}
	return buf
}

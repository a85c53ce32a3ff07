package ingest

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/unifyhq/unify/profile"
)

// NormalizeHeader returns the form in which header names are compared:
// lower case, diacritics removed (ß as ss), camelCase split ("firstName"
// and "ZIPCode" become first_name and zip_code), and every run of
// characters other than letters, digits and '.' turned into one '_', with
// '_' trimmed from both ends. So " First Name", "first-name", "FIRST_NAME"
// and "firstName" all become "first_name", and "Prénom" becomes "prenom".
func NormalizeHeader(s string) string {
	s = strings.TrimSpace(s)
	if !isPlainHeader(s) {
		s = foldHeader(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	under := false
	var prev rune
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.':
			// camelCase boundary: lower/digit then upper, or an acronym's
			// last capital followed by a lower-case letter (ZIPCode).
			if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(prev) || unicode.IsDigit(prev) ||
				(unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				under = true
			}
			if under && b.Len() > 0 && r != '.' && !strings.HasSuffix(b.String(), ".") {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(unicode.ToLower(r))
		default:
			under = true
		}
		prev = r
	}
	return strings.Trim(b.String(), "_.")
}

func isPlainHeader(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldHeader removes diacritics from non-ASCII header text.
func foldHeader(s string) string {
	s = strings.ToValidUTF8(s, "_")
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ø' || r == 'Ø': // letters NFD does not take apart
			b.WriteByte('o')
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ł' || r == 'Ł':
			b.WriteByte('l')
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		case r == 'º': // ordinal indicators: "Nº" is "No"
			b.WriteByte('o')
		case r == 'ª':
			b.WriteByte('a')
		case r == '\uFEFF' || r == '\u200B':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// attrName turns a normalized header into a valid attribute name:
// lower-case letters, digits, '_', '-' and '.'.
func attrName(norm string, index int) string {
	var b strings.Builder
	for _, r := range norm {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" {
		return "column_" + strconv.Itoa(index+1)
	}
	return s
}

// Target of an auto-mapping rule: a field, the key, or the observed time.
const (
	targetKey      = profile.Field("\x00key")
	targetObserved = profile.Field("\x00observed")
)

// familyFirstHeaders name a full-name column written family name first
// ("Name, Vorname": "Müller, Jürgen").
var familyFirstHeaders = []string{
	"name_vorname", "nachname_vorname", "familienname_vorname", "nom_prenom",
	"nom_et_prenom", "apellidos_nombre", "apellidos_y_nombre", "apellido_nombre", "cognome_nome",
	"cognome_e_nome", "achternaam_voornaam", "last_name_first_name", "surname_first_name", "surname_forename",
}

// familyFirstNote is the note of a full-name column whose header puts the
// family name first. The name parser takes its order from a comma only
// ("Müller, Jürgen"), so a value written without one ("Müller Jürgen") is
// read given name first; the note says so, until profile.NameParser can
// be told the order.
const familyFirstNote = "family name first by the header, but a value without a comma (\"Müller Jürgen\") is still read given name first"

// isFamilyFirst reports whether a normalized header names a full-name
// column written family name first.
func isFamilyFirst(norm string) bool { return slices.Contains(familyFirstHeaders, norm) }

// headerAliases maps normalized header names to fields. The lists follow
// what CRMs, shops, marketing tools and public data sets write, in
// English first and then common German, French, Spanish, Dutch and Italian
// names, then Portuguese, Polish and the Nordic languages' usual ones.
// Ambiguous names are left out on purpose (second_name is a middle
// name in some places and a surname in others; "name" alone is taken as the
// full name in English but is the family name in German exports, so the
// German list does not include it).
var headerAliases = map[string]profile.Field{}

func alias(f profile.Field, names ...string) {
	for _, n := range names {
		if _, dup := headerAliases[n]; dup {
			panic("ingest: duplicate header alias " + n)
		}
		headerAliases[n] = f
	}
}

// weakAliases map to a field only when no other column of the header does:
// a birth year is the birth date of a file without one, and an attribute
// beside a full date of birth, whichever comes first in the header.
var weakAliases = map[string]bool{
	"birth_year": true, "year_of_birth": true, "birthyear": true, "yob": true, "year_born": true, "geburtsjahr": true,
}

// keyAliases are key-column names in order of preference: the first one
// present in a header is the key. A bare "id" comes before the names of
// what a record is about ("customer_id", "account_id"): beside an "id",
// those are usually references to another table, which many records share
// (a Salesforce contact's AccountId), and a shared key rejects rows as
// duplicates.
var keyAliases = []string{
	"rec_id", "record_id", "unique_id", "id", "_id", "customer_id", "cust_id", "customer_number", "customer_no", "customer_num",
	"cust_no", "cust_num", "cust_number", "customer_key", "client_no", "client_number", "contact_no",
	"client_id", "contact_id", "person_id", "user_id", "account_id", "uid", "uuid", "guid",
	"record_key", "key", "pk", "row_id", "external_id", "source_id", "recid", "recordid",
	"kundennummer", "kunden_id", "numero_client", "id_cliente", "klantnummer",
	"kundennr", "kunden_nr", "id_client", "num_client", "code_client", "numero_cliente", "codigo_cliente",
	"codice_cliente", "klantnr", "klant_id", "kundnummer", "kundnr", "kundenummer", "asiakasnumero",
	"numer_klienta", "id_klienta",
}

var observedAliases = []string{
	"updated_at", "updated", "updated_on", "update_time", "last_updated", "last_update", "modified", "modified_at",
	"modified_on", "modified_date", "date_modified", "last_modified", "last_modified_date", "lastmodifieddate",
	"observed", "observed_at", "as_of", "snapshot_date", "record_date", "last_seen",
}

func init() {
	alias(profile.FieldGivenName, "first_name", "firstname", "fname", "f_name", "first", "forename", "forenames",
		"given_name", "givenname", "given", "given_names", "christian_name", "gname", "first_given_name",
		"vorname", "prenom", "nombre", "voornaam", "nome", "primeiro_nome", "imie", "fornamn", "fornavn",
		"etunimi")
	alias(profile.FieldMiddleName, "middle_name", "middlename", "middle", "middle_names", "middle_initial",
		"middleinitial", "mname", "mi", "midl_name")
	alias(profile.FieldFamilyName, "surname", "last_name", "lastname", "lname", "l_name", "last", "family_name",
		"familyname", "family", "surnames", "nachname", "familienname", "nom", "nom_de_famille", "apellido",
		"apellidos", "achternaam", "cognome", "sobrenome", "ultimo_nome", "nazwisko", "efternamn", "efternavn",
		"etternavn", "sukunimi")
	alias(profile.FieldFullName, "name", "full_name", "fullname", "customer_name", "contact_name", "person_name",
		"display_name", "client_name", "member_name", "complete_name", "voller_name", "nom_complet",
		"nombre_completo", "volledige_naam", "nome_completo")
	// Both parts in one column. The name parser reads "Müller, Hans" as
	// family name first by its comma, whatever the header's order.
	alias(profile.FieldFullName, familyFirstHeaders...)
	alias(profile.FieldFullName,
		"vorname_name", "vorname_nachname", "vorname_und_nachname", "prenom_nom", "prenom_et_nom",
		"nombre_apellidos", "nombre_y_apellidos", "nombre_apellido", "nome_cognome", "nome_e_cognome",
		"voornaam_achternaam", "first_and_last_name", "first_name_last_name", "first_last_name")
	alias(profile.FieldHonorific, "title", "salutation", "honorific", "name_prefix", "anrede", "civilite")
	alias(profile.FieldSuffix, "suffix", "name_suffix", "generation", "name_sufx", "sufx")
	alias(profile.FieldEmail, "email", "e_mail", "emails", "email_address", "e_mail_address", "emailaddress",
		"email_addresses", "email_addr", "mail", "email1", "email2", "email3", "work_email", "personal_email",
		"home_email", "private_email", "primary_email", "secondary_email", "alt_email", "alternate_email",
		"alternative_email", "other_email", "contact_email", "business_email", "courriel", "correo",
		"correo_electronico", "e_mailadres", "emailadres", "e_post", "epost", "epostadress", "sahkoposti",
		"endereco_de_email", "adres_email",
		"adresse_e_mail", "adresse_email", "adresse_mail", "adresse_electronique", "adresse_courriel",
		"e_mail_adresse", "email_adresse", "mail_adresse", "direccion_de_correo", "direccion_de_correo_electronico",
		"direccion_de_email", "indirizzo_email", "indirizzo_e_mail")
	alias(profile.FieldPhone, "phone", "phones", "phone_number", "phone_numbers", "phonenumber", "phone_no",
		"mobile", "mobile_phone", "mobile_number", "mobile_no", "mobilephone", "cell", "cellphone", "cell_phone",
		"cell_number", "tel", "tel_no", "telephone", "telephone_number", "home_phone", "work_phone",
		"business_phone", "office_phone", "phone1", "phone2", "phone3", "landline", "msisdn", "contact_number",
		"contact_phone", "telefon", "telefonnummer", "handy", "mobil", "mobilnummer", "telephone_portable",
		"portable", "telefono", "movil", "celular", "telefoonnummer", "mobiel", "cellulare", "telefoon",
		"telefone", "telemovel", "numer_telefonu", "nr_telefonu", "mobiltelefon", "puhelin", "puhelinnumero",
		"matkapuhelin", "handynummer", "mobiltelefonnummer", "festnetz", "festnetznummer", "telephone_fixe")
	alias(profile.FieldBirthDate, "dob", "d_o_b", "date_of_birth", "dateofbirth", "birth_date", "birthdate",
		"birthday", "bdate", "birth_dt", "born", "geburtsdatum", "geburtstag", "date_de_naissance",
		"date_naissance", "fecha_de_nacimiento", "fecha_nacimiento", "geboortedatum", "data_di_nascita",
		"data_de_nascimento", "data_nascimento", "data_urodzenia", "fodelsedatum", "fodselsdato", "syntymaaika")
	// A birth year alone is a partial birth date; see weakAliases.
	alias(profile.FieldBirthDate, "birth_year", "year_of_birth", "birthyear", "yob", "year_born", "geburtsjahr")
	alias(profile.FieldGender, "gender", "sex", "geschlecht", "sexe", "sexo", "genero", "geslacht",
		"sesso")
	alias(profile.FieldStreet, "street", "address", "address1", "address_1", "address_line_1", "address_line1",
		"addressline1", "addr1", "addr_1", "addr", "street_address", "streetaddress", "street1", "street_1",
		"street_line_1", "line1", "line_1", "address_street", "street_name", "strasse", "adresse", "rue",
		"direccion", "calle", "straat", "straatnaam", "indirizzo", "morada", "endereco", "logradouro", "ulica",
		"gatuadress", "gateadresse", "katuosoite", "osoite")
	// The street with its house number in one column.
	alias(profile.FieldStreet, "strasse_und_hausnummer", "strasse_hausnummer", "strasse_und_hausnr",
		"strasse_hausnr", "strasse_und_nr", "strasse_nr", "rue_et_numero", "numero_et_rue", "calle_y_numero",
		"straat_en_huisnummer", "street_and_number", "street_and_house_number")
	alias(profile.FieldHouseNumber, "street_number", "streetnumber", "street_no", "house_number", "housenumber",
		"house_no", "house_num", "number", "building_number", "civic_number", "hausnummer", "hausnr",
		"numero_de_rue", "huisnummer", "numero_civico")
	alias(profile.FieldAddressLine2, "address2", "address_2", "address_line_2", "address_line2", "addressline2",
		"addr2", "addr_2", "street2", "street_2", "street_line_2", "line2", "line_2", "apartment", "apt", "suite",
		"adresszusatz", "complement_d_adresse", "complemento")
	alias(profile.FieldLocality, "suburb", "city", "town", "locality", "city_name", "town_city", "post_town",
		"municipality", "village", "place", "ort", "stadt", "wohnort", "ville", "commune", "ciudad", "localidad",
		"woonplaats", "plaats", "stad", "citta", "comune", "localita", "cidade", "municipio", "poblacion",
		"miasto", "miejscowosc", "postort", "poststed", "kaupunki", "postitoimipaikka")
	alias(profile.FieldRegion, "state", "province", "county", "region", "state_province", "state_code",
		"province_code", "prefecture", "territory", "bundesland", "kanton", "departement", "provincia",
		"estado", "provincie", "regione", "state_region", "state_or_province", "state_or_region")
	alias(profile.FieldPostcode, "zip", "zipcode", "zip_code", "postal_code", "postalcode", "postcode",
		"post_code", "postal", "zip_postal_code", "plz", "postleitzahl", "code_postal", "codigo_postal",
		"codice_postale", "cap", "cep", "kod_pocztowy", "postnummer", "postnr", "postinumero")
	alias(profile.FieldCountry, "country", "country_code", "countrycode", "country_name", "iso_country", "land",
		"pays", "pais", "paese", "nation", "country_region", "country_or_region")
	alias(profile.IDField("national"), "soc_sec_id", "ssn", "social_security_number", "social_security_no",
		"social_security", "national_id", "national_id_number", "national_id_no", "national_identity_number",
		"tax_id", "taxpayer_id", "tax_number", "tax_no", "tax_identification_number", "tin", "nin", "ni_number",
		"ni_no", "national_insurance_number", "national_insurance_no", "national_insurance", "tfn", "sin",
		"steuer_id", "steuernummer", "steuer_nr", "steueridentifikationsnummer", "sozialversicherungsnummer",
		"nir", "numero_de_securite_sociale", "bsn", "codice_fiscale", "dni", "nif", "nie", "personnummer",
		"henkilotunnus", "pesel")
	alias(profile.IDField("health"), "nhs_number", "nhs_no", "medicare_number", "medicare_no", "health_card_number")
	alias(profile.IDField("loyalty"), "loyalty", "loyalty_number", "loyalty_no", "loyalty_id", "loyalty_card",
		"loyalty_card_number", "member_id", "membership_number", "membership_no", "membership_id",
		"member_number", "rewards_number", "club_card")
	alias(profile.IDField("crm"), "crm_id", "salesforce_id", "sfdc_id", "sf_id", "hubspot_id", "dynamics_id")
	alias(profile.IDField("device"), "device_id", "cookie_id", "anonymous_id", "anon_id", "visitor_id", "idfa",
		"gaid", "advertising_id")
	alias(profile.IDField("passport"), "passport", "passport_number", "passport_no", "passport_id", "reisepassnummer",
		"passeport", "pasaporte", "passaporto")
	alias(profile.IDField("drivers_license"), "drivers_license", "driver_license", "drivers_licence",
		"driving_licence", "driving_license", "license_number", "licence_number", "dl_number",
		"drivers_license_number", "driver_license_number", "drivers_licence_number", "driver_licence",
		"driver_licence_number", "driving_licence_number", "driving_license_number", "fuhrerscheinnummer")
	// Attributes that match compares by default (match.KnownAttrs): a
	// place of birth is no address, and an occupation no field.
	alias(profile.AttrField("birth_place"), "birth_place", "place_of_birth", "birthplace", "placeofbirth", "pob",
		"city_of_birth", "birth_city", "town_of_birth", "birth_town", "geburtsort", "lieu_de_naissance",
		"lugar_de_nacimiento", "luogo_di_nascita", "geboorteplaats", "local_de_nascimento", "miejsce_urodzenia",
		"fodelseort", "fodested", "fodselssted", "syntymapaikka")
	alias(profile.AttrField("occupation"), "occupation", "profession", "job_title", "jobtitle", "beruf",
		"berufsbezeichnung", "metier", "ocupacion", "profesion", "beroep", "professione", "occupazione",
		"profissao", "ocupacao", "zawod", "yrke", "ammatti")
	alias(profile.ConsentField("email"), "email_opt_in", "email_optin", "email_consent", "newsletter",
		"newsletter_opt_in", "subscribed", "email_subscribed", "accepts_marketing", "accepts_email_marketing",
		"email_marketing_consent")
	alias(profile.ConsentField("sms"), "sms_opt_in", "sms_optin", "sms_consent", "accepts_sms_marketing",
		"sms_marketing_consent")
	alias(profile.ConsentField("marketing"), "opt_in", "optin", "marketing_consent", "marketing_opt_in",
		"gdpr_consent")
	for _, n := range keyAliases {
		alias(targetKey, n)
	}
	for _, n := range observedAliases {
		alias(targetObserved, n)
	}
}

// strippablePrefixes are qualifiers in front of a field name that do not
// change which field it is ("billing_city" is a city).
var strippablePrefixes = []string{
	"customer_", "cust_", "client_", "contact_", "person_", "user_", "member_", "billing_", "bill_",
	"shipping_", "ship_", "mailing_", "postal_", "home_", "work_", "personal_", "private_", "primary_",
	"main_", "business_", "residential_", "current_", "delivery_", "invoice_", "other_", "alt_",
	"secondary_", "login_", "account_", "registered_", "signup_", "sign_up_", "preferred_", "res_", "mail_",
	"full_", "mobile_", "cell_", "cellular_", "default_address_", "default_",
	"numero_de_", "numero_di_", "n_de_", "no_de_", "n_di_", "nr_de_", "num_de_",
}

// orgPrefixes are qualifiers that name an organization rather than a
// person: Salesforce's "Account Name" and a "Business Name" are companies,
// so through these a header never reaches a name field. (A "company_" or
// "organization_" header is not qualified at all: it is no strippable
// prefix, so "Company Phone" stays unmapped.)
var orgPrefixes = map[string]bool{"account_": true, "business_": true}

// companyContactPrefixes are the orgPrefixes whose contact details are the
// organization's too: Salesforce's "Account Phone" and "Account Billing
// City" are the account's, the company's, and a person who works there
// does not share them with the others who do. Through these a header
// reaches neither a phone nor an address part. A company has no email or
// birth date, so "Account Email" is still a login account's, the person's.
// "business_" is not here: Outlook's "Business Phone" and "Business
// Street" are the contact's own work phone and address, as "work_" ones are.
var companyContactPrefixes = map[string]bool{"account_": true}

// isNameField reports whether f is a part of a person's name.
func isNameField(f profile.Field) bool {
	switch f {
	case profile.FieldGivenName, profile.FieldMiddleName, profile.FieldFamilyName, profile.FieldFullName,
		profile.FieldHonorific, profile.FieldSuffix:
		return true
	}
	return false
}

// numberPrefixes say "the number of" ("Numéro de téléphone", "N° de
// passeport"): through them a header reaches only a phone or an
// identifier, as "N° de rue" is a house number and not a street.
var numberPrefixes = map[string]bool{
	"numero_de_": true, "numero_di_": true, "n_de_": true, "no_de_": true, "n_di_": true, "nr_de_": true,
	"num_de_": true,
}

// throughPrefix reports whether a header that is prefix p before the name
// of field f is f.
func throughPrefix(p string, f profile.Field) bool {
	switch {
	case orgPrefixes[p]:
		return !isNameField(f) && !(companyContactPrefixes[p] && (f == profile.FieldPhone || f.IsAddressPart()))
	case numberPrefixes[p]:
		_, isID := f.IDType()
		return f == profile.FieldPhone || isID
	}
	return true
}

// strippableSuffixes are qualifiers after a field name that do not change
// which field it is: "state_cd" and "res_city_desc" (voter rolls),
// "postcode_fake" (Splink's demo data), "gender_code", and the kind of a
// contact written after it ("Phone (Mobile)", "E-Mail (privat)"). They are
// tried only when the whole name is not an alias, so zip_code and
// country_code keep their own meaning.
var strippableSuffixes = []string{
	"_cd", "_code", "_desc", "_description", "_name", "_txt", "_text", "_value", "_fake", "_std", "_clean",
	"_mobile", "_cell", "_home", "_work", "_office", "_private", "_personal", "_privat", "_mobil", "_portable",
}

// personalParents are the JSON parents whose children are read by their own
// name: {"customer": {"email": ...}}, {"traits": {"first_name": ...}}. Under
// any other parent ({"company": {"name": ...}}) a child is left unmapped.
var personalParents = map[string]bool{
	"customer": true, "contact": true, "person": true, "user": true, "client": true, "member": true,
	"profile": true, "billing": true, "shipping": true, "address": true, "addresses": true, "home": true,
	"work": true, "personal": true, "primary": true, "name": true, "names": true, "emails": true,
	"phones": true, "identity": true, "details": true, "info": true, "attributes": true, "properties": true,
	"traits": true, "contact_info": true, "mailing_address": true, "postal_address": true,
	"billing_address": true, "shipping_address": true, "identifiers": true, "ids": true,
}

// autoTarget returns what a normalized header maps to: a field, targetKey,
// targetObserved, or "" when no rule matches.
func autoTarget(h string) profile.Field {
	if f, ok := lookupFlat(h); ok {
		return f
	}
	if strings.Contains(h, ".") {
		// Nested JSON key: try the path joined ("customer_first_name"),
		// then the leaf under a personal parent.
		if f, ok := lookupFlat(strings.ReplaceAll(h, ".", "_")); ok {
			return f
		}
		parts := strings.Split(h, ".")
		leaf := parts[len(parts)-1]
		for _, p := range parts[:len(parts)-1] {
			if !personalParents[p] {
				return ""
			}
		}
		if f, ok := lookupFlat(leaf); ok && f != targetKey && f != targetObserved {
			return f
		}
	}
	return ""
}

// lookupFlat tries the header as written, then without a trailing number
// (for multi-valued fields: email_2, phone3), then without one qualifier
// prefix (billing_city), then both.
func lookupFlat(h string) (profile.Field, bool) {
	if f, ok := headerAliases[h]; ok {
		return f, true
	}
	if f, ok := lookupNumbered(h); ok {
		return f, true
	}
	for _, p := range strippablePrefixes {
		if rest, ok := strings.CutPrefix(h, p); ok && rest != "" {
			if f, ok := lookupQualified(rest); ok && throughPrefix(p, f) {
				return f, true
			}
		}
	}
	for _, sfx := range strippableSuffixes {
		if rest, ok := strings.CutSuffix(h, sfx); ok && rest != "" {
			if f, ok := lookupQualified(rest); ok {
				return f, true
			}
			for _, p := range strippablePrefixes {
				if r2, ok := strings.CutPrefix(rest, p); ok && r2 != "" {
					if f, ok := lookupQualified(r2); ok && throughPrefix(p, f) {
						return f, true
					}
				}
			}
		}
	}
	return "", false
}

// lookupQualified looks up what remains of a header once a qualifier is
// removed. That is never the key: "customer_id" is a key by its own alias,
// but "contact_" + "id" is not.
func lookupQualified(rest string) (profile.Field, bool) {
	if f, ok := headerAliases[rest]; ok && f != targetKey {
		return f, true
	}
	return lookupNumbered(rest)
}

func lookupNumbered(h string) (profile.Field, bool) {
	t := strings.TrimRight(h, "0123456789")
	if t == h || t == "" {
		return "", false
	}
	t = strings.TrimSuffix(t, "_")
	if f, ok := headerAliases[t]; ok && f.MultiValued() && !f.IsAddressPart() {
		return f, true
	}
	return "", false
}

package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/unifyhq/unify/profile"
)

// normalizer reads the raw values of the built-in records. The shop is
// Australian, so national phone numbers are Australian.
var normalizer = profile.NewNormalizer(profile.Options{DefaultRegion: "AU"})

// raw is one record as a source system holds it: raw field values.
type raw struct {
	source, key string
	observed    string // RFC 3339 date: when the source last wrote the record
	values      []value
}

type value struct {
	f profile.Field
	v string
}

// people are the records the story follows: seventeen records of eleven
// people, with nicknames (Bob, Kate, Peggy, Dan), typos (Jhon Miler), a
// moved customer, twins who share an email, and two different Emma
// Wilsons.
var people = []raw{
	{"crm", "C1", "2024-03-01", []value{
		{profile.FieldGivenName, "Robert"}, {profile.FieldFamilyName, "Tasker"},
		{profile.FieldEmail, "rob.tasker68@gmail.com"}, {profile.FieldPhone, "0491 570 006"},
		{profile.FieldBirthDate, "1968-04-12"}, {profile.FieldStreet, "14 Bellbird Street"},
		{profile.FieldLocality, "Balmain"}, {profile.FieldPostcode, "2041"}, {profile.FieldCountry, "AU"}}},
	{"shop", "S1", "2025-06-10", []value{
		{profile.FieldFullName, "Bob Tasker"}, {profile.FieldEmail, "Rob.Tasker68@Gmail.com"},
		{profile.FieldPhone, "+61 491 570 006"}, {profile.FieldStreet, "14 Bellbird St"},
		{profile.FieldLocality, "Balmain"}, {profile.FieldPostcode, "2041"}, {profile.FieldCountry, "AU"}}},
	{"crm", "C2", "2023-11-20", []value{
		{profile.FieldGivenName, "Katherine"}, {profile.FieldFamilyName, "Nguyen"},
		{profile.FieldEmail, "kate.nguyen90@gmail.com"}, {profile.FieldPhone, "0491 572 983"},
		{profile.FieldBirthDate, "1990-07-30"}, {profile.FieldStreet, "8 Ocean Parade"},
		{profile.FieldLocality, "Coogee"}, {profile.FieldPostcode, "2034"}, {profile.FieldCountry, "AU"}}},
	{"shop", "S2", "2025-02-14", []value{
		{profile.FieldFullName, "Kate Nguyen"}, {profile.FieldEmail, "kate.nguyen90@gmail.com"},
		{profile.FieldPhone, "0491 578 148"}, {profile.FieldStreet, "8 Ocean Pde"},
		{profile.FieldLocality, "Coogee"}, {profile.FieldPostcode, "2034"}, {profile.FieldCountry, "AU"}}},
	{"crm", "C3", "2024-08-02", []value{
		{profile.FieldGivenName, "Olivia"}, {profile.FieldFamilyName, "Brennan"},
		{profile.FieldEmail, "the.brennans@icloud.com"}, {profile.FieldBirthDate, "1998-04-04"},
		{profile.FieldStreet, "31 Beach Street"}, {profile.FieldLocality, "Coogee"},
		{profile.FieldPostcode, "2034"}, {profile.FieldCountry, "AU"}}},
	{"crm", "C4", "2024-08-02", []value{
		{profile.FieldGivenName, "Sophie"}, {profile.FieldFamilyName, "Brennan"},
		{profile.FieldEmail, "the.brennans@icloud.com"}, {profile.FieldBirthDate, "1998-04-04"},
		{profile.FieldStreet, "31 Beach Street"}, {profile.FieldLocality, "Coogee"},
		{profile.FieldPostcode, "2034"}, {profile.FieldCountry, "AU"}}},
	{"crm", "C5", "2022-05-17", []value{
		{profile.FieldGivenName, "John"}, {profile.FieldFamilyName, "Miller"},
		{profile.FieldEmail, "john.miller@outlook.com"}, {profile.FieldPhone, "(03) 5550 4410"},
		{profile.FieldBirthDate, "1975-01-09"}, {profile.FieldStreet, "5 Elm Grove"},
		{profile.FieldLocality, "Ringwood"}, {profile.FieldPostcode, "3134"}, {profile.FieldCountry, "AU"}}},
	{"shop", "S5", "2025-09-01", []value{
		{profile.FieldFullName, "Jhon Miler"}, {profile.FieldEmail, "jmiller75@gmail.com"},
		{profile.FieldPhone, "+61 3 5550 4410"}, {profile.FieldStreet, "5 Elm Gr"},
		{profile.FieldLocality, "Ringwood"}, {profile.FieldPostcode, "3134"}, {profile.FieldCountry, "AU"}}},
	{"crm", "C6", "2021-02-11", []value{
		{profile.FieldGivenName, "Margaret"}, {profile.FieldFamilyName, "O'Donnell"},
		{profile.FieldEmail, "peggy.odonnell@bigpond.com"}, {profile.FieldPhone, "0491 570 313"},
		{profile.FieldBirthDate, "1949-11-02"}, {profile.FieldStreet, "41 Wattle Avenue"},
		{profile.FieldLocality, "Toowong"}, {profile.FieldPostcode, "4066"}, {profile.FieldCountry, "AU"}}},
	{"support", "T1", "2025-12-16", []value{
		{profile.FieldFullName, "Peggy O’Donnell"}, {profile.FieldEmail, "peggy.odonnell@bigpond.com"}}},
	{"crm", "C7", "2020-10-05", []value{
		{profile.FieldGivenName, "Daniel"}, {profile.FieldFamilyName, "Walsh"},
		{profile.FieldEmail, "dan.walsh@bigpond.com"}, {profile.FieldPhone, "(02) 5550 3321"},
		{profile.FieldBirthDate, "1983-03-15"}, {profile.FieldStreet, "27 Darby Street"},
		{profile.FieldLocality, "Cooks Hill"}, {profile.FieldPostcode, "2300"}, {profile.FieldCountry, "AU"}}},
	{"newsletter", "N7", "2024-07-30", []value{
		{profile.FieldGivenName, "Dan"}, {profile.FieldEmail, "dwalsh.home@gmail.com"}}},
	{"crm", "C8", "2023-04-04", []value{
		{profile.FieldGivenName, "Emma"}, {profile.FieldFamilyName, "Wilson"},
		{profile.FieldEmail, "emma.wilson87@gmail.com"}, {profile.FieldBirthDate, "1987-10-19"},
		{profile.FieldStreet, "12 Jacaranda Drive"}, {profile.FieldLocality, "Chermside"},
		{profile.FieldPostcode, "4032"}, {profile.FieldCountry, "AU"}}},
	{"crm", "C9", "2024-01-30", []value{
		{profile.FieldGivenName, "Emma"}, {profile.FieldFamilyName, "Wilson"},
		{profile.FieldEmail, "emmaw90@hotmail.com"}, {profile.FieldBirthDate, "1990-06-02"},
		{profile.FieldStreet, "3 Mill Road"}, {profile.FieldLocality, "Fitzroy"},
		{profile.FieldPostcode, "3065"}, {profile.FieldCountry, "AU"}}},
	{"crm", "C11", "2021-09-14", []value{
		{profile.FieldGivenName, "Isabella"}, {profile.FieldFamilyName, "Rossi"},
		{profile.FieldEmail, "bella.rossi@gmail.com"}, {profile.FieldPhone, "0491 576 398"},
		{profile.FieldBirthDate, "1992-12-01"}, {profile.FieldStreet, "55 Racecourse Road"},
		{profile.FieldLocality, "Ascot"}, {profile.FieldPostcode, "4007"}, {profile.FieldCountry, "AU"}}},
	{"shop", "S11", "2025-10-09", []value{
		{profile.FieldFullName, "Isabella Rossi"}, {profile.FieldEmail, "bella.rossi@gmail.com"},
		{profile.FieldPhone, "+61 491 576 398"}, {profile.FieldStreet, "2/9 Oxlade Drive"},
		{profile.FieldLocality, "New Farm"}, {profile.FieldPostcode, "4005"}, {profile.FieldCountry, "AU"}}},
	{"shop", "S10", "2025-03-03", []value{
		{profile.FieldFullName, "Fatima Hussain"}, {profile.FieldEmail, "fatima.hussain85@gmail.com"},
		{profile.FieldPhone, "0491 571 804"}, {profile.FieldStreet, "2 Station Road"},
		{profile.FieldLocality, "Oakleigh"}, {profile.FieldPostcode, "3166"}, {profile.FieldCountry, "AU"}}},
}

// build normalizes a raw record. Values that are junk or invalid stay on
// the record as raw text (Set reports them); the built-in data has none,
// so any error here is a bug in the data.
func build(r raw) (*profile.Record, error) {
	rec := &profile.Record{Source: r.source, Key: r.key}
	if r.observed != "" {
		t, err := time.Parse(time.DateOnly, r.observed)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: observed: %w", r.source, r.key, err)
		}
		rec.Observed = t
	}
	for _, v := range r.values {
		if err := normalizer.Set(rec, v.f, v.v); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", r.source, r.key, err)
		}
	}
	return rec, nil
}

// mustBuild is build for the records written in this file.
func mustBuild(r raw) *profile.Record {
	rec, err := build(r)
	if err != nil {
		panic(err)
	}
	return rec
}

// The crowd: ordinary customers around the ones the story follows. The
// match model is trained without labels on the initial load, and training
// needs some volume to learn how often values agree by chance and how
// often a person's own records disagree (a new phone, a move): on
// seventeen records alone it learns extreme weights. So the initial load
// holds sixty more people, every third of them with a web shop account as
// well and every fifth with a second CRM record keyed in at a till. Person
// i's records are keyed C<100+i>, S<100+i> and C<200+i>.
var (
	crowdGiven  = []string{"Amelia", "Jack", "Charlotte", "Noah", "Isla", "Liam", "Mia", "Ethan", "Grace", "Lucas", "Chloe", "Henry", "Zoe", "Oscar", "Ruby", "Leo", "Harper", "Mason", "Ivy", "Archie"}
	crowdFamily = []string{"Taylor", "Brown", "Martin", "Anderson", "Thompson", "White", "Harris", "Clarke", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Mitchell", "Campbell", "Roberts", "Turner"}
	crowdStreet = []string{"Acacia Avenue", "Banksia Street", "Church Road", "Dover Crescent", "Eucalypt Drive", "Ferry Lane", "Garden Parade", "High Street", "Iris Terrace", "Jetty Road"}
	crowdTown   = [][2]string{{"Newtown", "2042"}, {"Fitzroy", "3065"}, {"Paddington", "4064"}, {"Glenelg", "5045"}, {"Subiaco", "6008"}, {"Sandy Bay", "7005"}, {"Manly", "2095"}, {"Brunswick", "3056"}, {"Toowong", "4066"}, {"Norwood", "5067"}}
	crowdMail   = []string{"gmail.com", "outlook.com", "bigpond.com", "icloud.com", "yahoo.com.au"}
)

func crowd() []raw {
	var out []raw
	for i := range 60 {
		given, family := crowdGiven[i%len(crowdGiven)], crowdFamily[(i*7+i/len(crowdGiven))%len(crowdFamily)]
		town := crowdTown[(i*3)%len(crowdTown)]
		email := fmt.Sprintf("%s.%s%d@%s", strings.ToLower(given), strings.ToLower(family), 60+i%40, crowdMail[i%len(crowdMail)])
		phone := fmt.Sprintf("0491 57%d %03d", i%10, 100+i*7)
		street := fmt.Sprintf("%d %s", 1+(i*13)%90, crowdStreet[i%len(crowdStreet)])
		key := fmt.Sprintf("C%d", 100+i)
		out = append(out, raw{"crm", key, fmt.Sprintf("20%02d-%02d-%02d", 19+i%5, 1+i%12, 1+i%28), []value{
			{profile.FieldGivenName, given}, {profile.FieldFamilyName, family},
			{profile.FieldEmail, email}, {profile.FieldPhone, phone},
			{profile.FieldBirthDate, fmt.Sprintf("%d-%02d-%02d", 1950+(i*7)%50, 1+(i*5)%12, 1+(i*11)%28)},
			{profile.FieldStreet, street}, {profile.FieldLocality, town[0]}, {profile.FieldPostcode, town[1]},
			{profile.FieldCountry, "AU"}}})
		if i%5 == 2 {
			// A second CRM record keyed in at a till: capitals, no email.
			out = append(out, raw{"crm", fmt.Sprintf("C%d", 200+i), "2025-11-02", []value{
				{profile.FieldGivenName, strings.ToUpper(given)}, {profile.FieldFamilyName, strings.ToUpper(family)},
				{profile.FieldPhone, phone}, {profile.FieldBirthDate, fmt.Sprintf("%d-%02d-%02d", 1950+(i*7)%50, 1+(i*5)%12, 1+(i*11)%28)},
				{profile.FieldPostcode, town[1]}, {profile.FieldCountry, "AU"}}})
		}
		if i%3 != 0 {
			continue
		}
		// The web shop account: the same person, written as they typed it;
		// every other one has since changed phone, and some have moved.
		shop := []value{{profile.FieldFullName, given + " " + family}, {profile.FieldEmail, email}}
		if i%6 == 0 {
			shop = append(shop, value{profile.FieldPhone, fmt.Sprintf("+61 491 57%d %03d", (i+5)%10, 900-i*7)})
		} else {
			shop = append(shop, value{profile.FieldPhone, "+61" + strings.ReplaceAll(phone[1:], " ", "")})
		}
		if i%9 == 0 {
			moved := crowdTown[(i*3+1)%len(crowdTown)]
			shop = append(shop, value{profile.FieldStreet, fmt.Sprintf("%d %s", 2+i%40, crowdStreet[(i+3)%len(crowdStreet)])},
				value{profile.FieldLocality, moved[0]}, value{profile.FieldPostcode, moved[1]})
		} else {
			shop = append(shop, value{profile.FieldStreet, street}, value{profile.FieldLocality, town[0]}, value{profile.FieldPostcode, town[1]})
		}
		shop = append(shop, value{profile.FieldCountry, "AU"})
		out = append(out, raw{"shop", fmt.Sprintf("S%d", 100+i), "2025-01-15", shop})
	}
	return out
}

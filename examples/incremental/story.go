package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// facts are what the story established, for the test to check.
type facts struct {
	// RobertID is Robert Tasker's profile ID after the initial resolve,
	// and RobertIDs his profile's ID after each later operation on it.
	RobertID  string
	RobertIDs []string
	// Alias is the ID absorbed when Daniel Walsh's two profiles merged,
	// Survivor the merged profile's ID, and AliasResolves the ID that
	// Engine.Profile returned for the alias.
	Alias, Survivor, AliasResolves string
	// Twins holds the twins' profile IDs after the assertion, after an
	// update of one twin, and after a delete and re-add of the other.
	Twins [][2]string
	// DeviceProfile is the profile holding the anonymous device after the
	// login, and CustomerProfile the customer's; DeviceVisits the visits in
	// the customer's view.
	DeviceProfile, CustomerProfile string
	DeviceVisits                   int
	// ForgottenID is Margaret O'Donnell's profile; ForgottenErr is what
	// looking it up returned after Forget.
	ForgottenID     string
	ForgottenErr    error
	ForgottenEvents int
	// Changes counts every change received through Subscribe, and Returned
	// every change the write methods returned: they must agree.
	Changes, Returned int
}

// teller prints the story: each operation, then its changes.
type teller struct {
	ctx   context.Context
	w     io.Writer
	e     *unify.Engine
	store unify.Store
	log   *changeLog
	f     *facts
	crowd map[profile.Ref]bool // the crowd's records
	err   error
}

func (t *teller) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// op prints an operation and the changes it produced. The changes come
// from the subscription; the ones the write returned must be the same.
func (t *teller) op(title string, returned []merge.Change, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", title, err)
	}
	got := t.log.take()
	t.f.Changes += len(got)
	t.f.Returned += len(returned)
	if !slices.EqualFunc(got, returned, func(a, b merge.Change) bool { return a.String() == b.String() }) {
		return fmt.Errorf("%s: subscribers saw %v, the write returned %v", title, got, returned)
	}
	t.printf("\n> %s\n", title)
	if len(got) == 0 {
		t.printf("  (no change)\n")
	}
	crowd := map[merge.ChangeKind]int{}
	for _, c := range got {
		if t.inCrowd(c) {
			crowd[c.Kind]++
			continue
		}
		t.printf("  %-44s %s\n", c, t.describe(c))
	}
	if len(crowd) > 0 {
		var parts []string
		for _, k := range []merge.ChangeKind{merge.Created, merge.Merged, merge.Updated, merge.Split, merge.Deleted} {
			if crowd[k] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", crowd[k], k))
			}
		}
		t.printf("  ... and in the crowd: %s\n", strings.Join(parts, ", "))
	}
	return t.err
}

// inCrowd reports whether a change is about a profile of crowd records
// only, which the story summarises instead of listing.
func (t *teller) inCrowd(c merge.Change) bool {
	p, err := t.e.Profile(t.ctx, c.ID)
	if err != nil {
		return false
	}
	for _, m := range p.Members {
		if !t.crowd[m] {
			return false
		}
	}
	return true
}

// describe lists the members of the profile a change leaves behind.
func (t *teller) describe(c merge.Change) string {
	if c.Kind == merge.Deleted || c.Kind == merge.Split {
		return ""
	}
	p, err := t.e.Profile(t.ctx, c.ID)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s: %s", name(&p), refs(p.Members))
}

// name is a profile's golden name.
func name(p *profile.Profile) string {
	var parts []string
	for _, f := range []profile.Field{profile.FieldGivenName, profile.FieldFamilyName} {
		if v, ok := p.Get(f); ok {
			parts = append(parts, v.Value)
		}
	}
	if len(parts) == 0 {
		if v, ok := p.Get(profile.FieldEmail); ok {
			return v.Value
		}
		return "(anonymous)"
	}
	return strings.Join(parts, " ")
}

func refs(rs []profile.Ref) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.String()
	}
	return strings.Join(s, " ")
}

// idOf returns the ID of the profile holding r.
func (t *teller) idOf(r profile.Ref) (string, error) {
	p, err := t.e.ProfileOf(t.ctx, r)
	return p.ID, err
}

// check fails the story when a claim it prints does not hold.
func check(ok bool, format string, args ...any) error {
	if !ok {
		return fmt.Errorf("check failed: "+format, args...)
	}
	return nil
}

// story runs the operations and prints them to w. It returns what it
// established and the engine in its final state.
func story(ctx context.Context, w io.Writer) (*facts, *unify.Engine, error) {
	// The story keeps a handle on the store to show what Forget erases.
	store := unify.NewMemoryStore()
	e, err := newEngine(ctx, store)
	if err != nil {
		return nil, nil, err
	}
	log := &changeLog{}
	cancel := e.Subscribe(func(c merge.Change) { log.changes = append(log.changes, c) })
	defer cancel()
	t := &teller{ctx: ctx, w: w, e: e, store: store, log: log, f: &facts{}, crowd: map[profile.Ref]bool{}}

	// The initial load: before the first Resolve, Add only stores and
	// indexes, and each record is a profile of its own; Resolve trains the
	// model on these records and clusters them.
	var recs []*profile.Record
	for _, p := range people {
		recs = append(recs, mustBuild(p))
	}
	for _, p := range crowd() {
		r := mustBuild(p)
		t.crowd[r.Ref()] = true
		recs = append(recs, r)
	}
	changes, err := e.Add(ctx, recs...)
	title := fmt.Sprintf("Add %d records (%d of the people below, %d of the crowd): until the first Resolve each is a profile of its own", len(recs), len(people), len(t.crowd))
	if err := t.op(title, changes, err); err != nil {
		return nil, nil, err
	}
	changes, err = e.Resolve(ctx, false)
	if err := t.op("Resolve: train the match model on them and cluster", changes, err); err != nil {
		return nil, nil, err
	}
	for _, step := range steps {
		if err := step(t); err != nil {
			return nil, nil, err
		}
	}
	return t.f, e, t.err
}

// steps are the operations after the initial resolve, in order.
var steps = []func(*teller) error{
	robertJoinsAndLeaves,
	danielMerges,
	twinsSplit,
	deviceStitched,
	margaretForgotten,
}

var (
	robert    = ref("crm", "C1")
	robertTix = ref("support", "T7")
)

// robertJoinsAndLeaves adds a support ticket of Robert's, updates his web
// shop record (he moved) and deletes the ticket: his profile keeps its ID
// throughout.
func robertJoinsAndLeaves(t *teller) error {
	id, err := t.idOf(robert)
	if err != nil {
		return err
	}
	t.f.RobertID = id
	t.printf("\nRobert Tasker's profile is %s.\n", id)

	ticket := mustBuild(raw{"support", "T7", "2026-03-02", []value{
		{profile.FieldFullName, "Rob Tasker"}, {profile.FieldPhone, "0491570006"}}})
	changes, err := t.e.Add(t.ctx, ticket)
	if err := t.op("Add support/T7: \"Rob Tasker\" rings from Robert's mobile", changes, err); err != nil {
		return err
	}
	if err := t.keepsID(robert, "after support/T7 joined"); err != nil {
		return err
	}

	moved := mustBuild(raw{"shop", "S1", "2026-05-01", []value{
		{profile.FieldFullName, "Bob Tasker"}, {profile.FieldEmail, "rob.tasker68@gmail.com"},
		{profile.FieldPhone, "+61 491 570 006"}, {profile.FieldStreet, "2/7 Harbour View Road"},
		{profile.FieldLocality, "Mosman"}, {profile.FieldPostcode, "2088"}, {profile.FieldCountry, "AU"}}})
	changes, err = t.e.Add(t.ctx, moved)
	if err := t.op("Update shop/S1: Bob Tasker moved to Mosman", changes, err); err != nil {
		return err
	}
	if err := t.keepsID(robert, "after shop/S1 was updated"); err != nil {
		return err
	}

	changes, err = t.e.Delete(t.ctx, robertTix)
	if err := t.op("Delete support/T7: the support desk purged the ticket", changes, err); err != nil {
		return err
	}
	return t.keepsID(robert, "after support/T7 was deleted")
}

// keepsID records Robert's profile ID and checks it has not changed.
func (t *teller) keepsID(r profile.Ref, when string) error {
	id, err := t.idOf(r)
	if err != nil {
		return err
	}
	t.f.RobertIDs = append(t.f.RobertIDs, id)
	t.printf("  Robert's profile is still %s %s.\n", id, when)
	return check(id == t.f.RobertID, "Robert's profile ID changed from %s to %s %s", t.f.RobertID, id, when)
}

// danielMerges adds a web shop account that ties Daniel Walsh's CRM
// record to his newsletter subscription: two profiles merge, and the
// absorbed ID stays an alias of the merged one.
func danielMerges(t *teller) error {
	crm, news := ref("crm", "C7"), ref("newsletter", "N7")
	a, err := t.idOf(crm)
	if err != nil {
		return err
	}
	b, err := t.idOf(news)
	if err != nil {
		return err
	}
	t.printf("\nDaniel Walsh has two profiles: %s (CRM) and %s (newsletter, only \"Dan\" and an email).\n", a, b)
	account := mustBuild(raw{"shop", "S7", "2026-04-12", []value{
		{profile.FieldFullName, "Daniel Walsh"}, {profile.FieldEmail, "dwalsh.home@gmail.com"},
		{profile.FieldPhone, "(02) 5550 3321"}, {profile.FieldStreet, "9/41 Crown Street"},
		{profile.FieldLocality, "Wollongong"}, {profile.FieldPostcode, "2500"}, {profile.FieldCountry, "AU"}}})
	changes, err := t.e.Add(t.ctx, account)
	if err := t.op("Add shop/S7: Daniel opens a web shop account with his newsletter email and CRM phone", changes, err); err != nil {
		return err
	}
	var merged *merge.Change
	for i := range changes {
		if changes[i].Kind == merge.Merged {
			merged = &changes[i]
		}
	}
	if err := check(merged != nil && len(merged.From) == 1, "no merge of Daniel's profiles: %v", changes); err != nil {
		return err
	}
	t.f.Survivor, t.f.Alias = merged.ID, merged.From[0]
	p, err := t.e.Profile(t.ctx, t.f.Alias)
	if err != nil {
		return fmt.Errorf("the alias %s does not resolve: %w", t.f.Alias, err)
	}
	t.f.AliasResolves = p.ID
	t.printf("  Engine.Profile(%q) still works: it returns %s (aliases %v).\n", t.f.Alias, p.ID, p.Aliases)
	return check(p.ID == t.f.Survivor, "alias %s resolves to %s, want %s", t.f.Alias, p.ID, t.f.Survivor)
}

var twins = [2]profile.Ref{ref("crm", "C3"), ref("crm", "C4")}

// twinsSplit unmerges the twins, who share a surname, birth date, address
// and a family email, and shows that the assertion holds when one twin's
// record is updated and the other's is deleted and added again.
func twinsSplit(t *teller) error {
	a, _ := t.idOf(twins[0])
	b, _ := t.idOf(twins[1])
	if a == b {
		t.printf("\nThe twins Olivia and Sophie Brennan share a surname, birth date, address and email: one profile, %s.\n", a)
	} else {
		t.printf("\nThe twins Olivia and Sophie Brennan are already apart: %s and %s.\n", a, b)
	}
	changes, err := t.e.AssertNotSame(t.ctx, twins[0], twins[1])
	if err := t.op("AssertNotSame crm/C3 crm/C4: a data steward says they are two people", changes, err); err != nil {
		return err
	}
	if err := t.twinsApart("after the assertion"); err != nil {
		return err
	}

	sophie := mustBuild(raw{"crm", "C4", "2026-06-30", []value{
		{profile.FieldGivenName, "Sophie"}, {profile.FieldFamilyName, "Brennan"},
		{profile.FieldEmail, "the.brennans@icloud.com"}, {profile.FieldPhone, "0491 575 254"},
		{profile.FieldBirthDate, "1998-04-04"}, {profile.FieldStreet, "31 Beach Street"},
		{profile.FieldLocality, "Coogee"}, {profile.FieldPostcode, "2034"}, {profile.FieldCountry, "AU"}}})
	changes, err = t.e.Add(t.ctx, sophie)
	if err := t.op("Update crm/C4: Sophie adds a mobile number", changes, err); err != nil {
		return err
	}
	if err := t.twinsApart("after Sophie's update"); err != nil {
		return err
	}

	changes, err = t.e.Delete(t.ctx, twins[0])
	if err := t.op("Delete crm/C3: Olivia's CRM record is deleted", changes, err); err != nil {
		return err
	}
	changes, err = t.e.Add(t.ctx, mustBuild(people[slices.IndexFunc(people, func(r raw) bool { return r.key == "C3" })]))
	if err := t.op("Add crm/C3 again: restored from a backup", changes, err); err != nil {
		return err
	}
	return t.twinsApart("after Olivia's record came back")
}

func (t *teller) twinsApart(when string) error {
	a, err := t.idOf(twins[0])
	if err != nil {
		return err
	}
	b, err := t.idOf(twins[1])
	if err != nil {
		return err
	}
	t.f.Twins = append(t.f.Twins, [2]string{a, b})
	t.printf("  Olivia is in %s, Sophie in %s %s.\n", a, b, when)
	return check(a != b, "the twins share profile %s %s", a, when)
}

// deviceStitched adds an anonymous web device with two visits, then the
// web shop login that ties the device to Fatima Hussain: the device joins
// her profile and its visits reach her view.
func deviceStitched(t *teller) error {
	device := ref("web", "d-3f9a1c")
	anon := &profile.Record{Source: device.Source, Key: device.Key, Observed: day("2026-07-01"),
		IDs: []profile.Identifier{{Type: "device", Raw: device.Key, Value: profile.IdentifierValue(device.Key)}}}
	changes, err := t.e.Add(t.ctx, anon)
	if err := t.op("Add web/d-3f9a1c: an anonymous device, only a device ID", changes, err); err != nil {
		return err
	}
	visits := []profile.Event{
		{ID: "v1", Record: device, Type: profile.Visit, Time: day("2026-06-28"), Channel: profile.ChannelWeb, Device: "mobile"},
		{ID: "v2", Record: device, Type: profile.Visit, Time: day("2026-07-01"), Channel: profile.ChannelWeb, Device: "mobile"},
	}
	if err := t.e.AddEvents(t.ctx, visits...); err != nil {
		return err
	}
	t.printf("  and two visits from it (AddEvents).\n")

	login := mustBuild(raw{"shop", "L10", "2026-07-02", []value{
		{profile.FieldEmail, "fatima.hussain85@gmail.com"}, {profile.IDField("device"), device.Key}}})
	changes, err = t.e.Add(t.ctx, login)
	if err := t.op("Add shop/L10: a web shop login by fatima.hussain85@gmail.com on that device", changes, err); err != nil {
		return err
	}
	var err1, err2 error
	t.f.DeviceProfile, err1 = t.idOf(device)
	t.f.CustomerProfile, err2 = t.idOf(ref("shop", "S10"))
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	v, err := t.e.View(t.ctx, t.f.CustomerProfile)
	if err != nil {
		return err
	}
	for _, ev := range v.Timeline {
		if ev.Type == profile.Visit {
			t.f.DeviceVisits++
		}
	}
	t.printf("  The device is now in %s, Fatima's profile, whose timeline holds %d visits.\n", t.f.DeviceProfile, t.f.DeviceVisits)
	return check(t.f.DeviceProfile == t.f.CustomerProfile && t.f.DeviceVisits == len(visits),
		"device in %s, Fatima in %s, %d visits", t.f.DeviceProfile, t.f.CustomerProfile, t.f.DeviceVisits)
}

// margaretForgotten erases Margaret O'Donnell at her request: her records,
// events and profile are gone.
func margaretForgotten(t *teller) error {
	crm, tix := ref("crm", "C6"), ref("support", "T1")
	id, err := t.idOf(crm)
	if err != nil {
		return err
	}
	t.f.ForgottenID = id
	if err := t.e.AddEvents(t.ctx, profile.Event{ID: "T1", Record: tix, Type: profile.Complaint,
		Time: day("2025-12-16"), Channel: profile.ChannelEmail}); err != nil {
		return err
	}
	before, err := t.store.Events(t.ctx, tix)
	if err != nil {
		return err
	}
	t.printf("\nMargaret O'Donnell (%s), with %d complaint on support/T1, asks to be forgotten.\n", id, len(before))
	changes, err := t.e.Forget(t.ctx, crm, tix)
	if err := t.op("Forget crm/C6 support/T1", changes, err); err != nil {
		return err
	}
	_, t.f.ForgottenErr = t.e.Profile(t.ctx, id)
	_, recErr := t.e.Record(t.ctx, crm)
	evs, err := t.store.Events(t.ctx, tix)
	if err != nil {
		return err
	}
	t.f.ForgottenEvents = len(evs)
	t.printf("  Engine.Profile(%q): %v\n  Engine.Record(crm/C6): %v\n  events of support/T1 left in the store: %d\n",
		id, t.f.ForgottenErr, recErr, len(evs))
	return check(errors.Is(t.f.ForgottenErr, unify.ErrNotFound) && errors.Is(recErr, unify.ErrNotFound) && len(evs) == 0,
		"after Forget: profile %v, record %v, %d events", t.f.ForgottenErr, recErr, len(evs))
}

// day parses a date of the built-in data.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

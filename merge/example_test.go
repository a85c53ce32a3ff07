package merge_test

import (
	"fmt"
	"time"

	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

func r(source, key string) profile.Ref { return profile.Ref{Source: source, Key: key} }

func record(source, key, given string, day int) *profile.Record {
	return &profile.Record{
		Source: source, Key: key,
		Observed: time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC),
		Name:     profile.Name{Given: profile.Text{Raw: given, Norm: given, Key: given}},
	}
}

// Two groups of records joined by one middling link: connected components
// chain them into one person; the greedy default keeps them apart.
func ExampleCluster() {
	records := []*profile.Record{
		record("crm", "1", "Ann", 1), record("shop", "1", "Ann", 2), record("store", "1", "Ann", 3),
		record("crm", "2", "Anna", 1), record("shop", "2", "Anna", 2),
	}
	links := []merge.Link{
		{A: r("crm", "1"), B: r("shop", "1"), Prob: 0.99},
		{A: r("shop", "1"), B: r("store", "1"), Prob: 0.98},
		{A: r("crm", "1"), B: r("store", "1"), Prob: 0.97},
		{A: r("crm", "2"), B: r("shop", "2"), Prob: 0.99},
		{A: r("store", "1"), B: r("crm", "2"), Prob: 0.7}, // the weak bridge
	}
	for _, m := range []merge.Method{merge.Components, merge.Greedy} {
		clusters, err := merge.Cluster(records, links, nil, merge.Options{Method: m})
		if err != nil {
			panic(err)
		}
		fmt.Println(m, clusters)
	}
	// Output:
	// components [[crm/1 crm/2 shop/1 shop/2 store/1]]
	// greedy [[crm/1 shop/1 store/1] [crm/2 shop/2]]
}

// A Graph keeps profiles up to date and reports every change: here a merge,
// an unmerge by a data steward, and the ID each part keeps.
func ExampleGraph() {
	g, err := merge.NewGraph(merge.Options{})
	if err != nil {
		panic(err)
	}
	show := func(changes []merge.Change, err error) {
		if err != nil {
			panic(err)
		}
		for _, c := range changes {
			fmt.Println(" ", c)
		}
	}
	fmt.Println("add two CRM records:")
	show(g.Add([]*profile.Record{record("crm", "1", "Ann", 1), record("crm", "2", "Ann", 2)},
		[]merge.Link{{A: r("crm", "1"), B: r("crm", "2"), Prob: 0.99}}))
	fmt.Println("add a shop record that matches:")
	show(g.Add([]*profile.Record{record("shop", "7", "Anne", 5)},
		[]merge.Link{{A: r("shop", "7"), B: r("crm", "2"), Prob: 0.95}}))
	fmt.Println("a steward says shop/7 is someone else:")
	show(g.Assert(merge.AssertNotSame(r("shop", "7"), r("crm", "2"))))

	p, _ := g.ProfileOf(r("crm", "1"))
	given, _ := p.Get(profile.FieldGivenName)
	fmt.Println(p.ID, p.Members, given.Value, given.Rule)
	// Output:
	// add two CRM records:
	//   created p_kmljcweivdiofqy7
	// add a shop record that matches:
	//   updated p_kmljcweivdiofqy7
	// a steward says shop/7 is someone else:
	//   split p_kmljcweivdiofqy7 -> [p_kmljcweivdiofqy7 p_o75rrs3i2pkf3rme]
	//   created p_o75rrs3i2pkf3rme
	//   updated p_kmljcweivdiofqy7
	// p_kmljcweivdiofqy7 [crm/1 crm/2] Ann unanimous
}

// Survivorship rules are set per field; the rest keep their defaults.
// Every golden value says where it came from and which rule chose it.
func ExampleSurvivorship() {
	b, err := merge.NewBuilder(merge.Survivorship{
		Fields: map[profile.Field]merge.Rule{
			// Trust the CRM for names, then the shop; then the latest.
			profile.FieldGivenName: merge.Then(merge.SourcePriority("crm", "shop"), merge.MostRecent()),
		},
	})
	if err != nil {
		panic(err)
	}
	p := b.Build([]*profile.Record{
		record("shop", "7", "Annie", 9),
		record("crm", "1", "Ann", 1),
		record("web", "3", "Anna", 12),
	})
	v, _ := p.Get(profile.FieldGivenName)
	fmt.Printf("%s from %s (observed %s) by %s\n", v.Value, v.From, v.Observed.Format("2006-01-02"), v.Rule)
	// Output:
	// Ann from crm/1 (observed 2024-01-01) by source_priority
}

// Explain says which guard kept two records apart, with the numbers.
func ExampleGraph_Explain() {
	g, _ := merge.NewGraph(merge.Options{})
	links := []merge.Link{
		{A: r("crm", "1"), B: r("shop", "1"), Prob: 0.99},
		{A: r("crm", "2"), B: r("shop", "2"), Prob: 0.99},
		{A: r("shop", "1"), B: r("crm", "2"), Prob: 0.8}, // a lone bridge
	}
	_, err := g.Add([]*profile.Record{
		record("crm", "1", "Ann", 1), record("shop", "1", "Ann", 2),
		record("crm", "2", "Anna", 1), record("shop", "2", "Anna", 2),
	}, links)
	if err != nil {
		panic(err)
	}
	ex, _ := g.Explain(r("crm", "1"), r("shop", "2"))
	fmt.Println(ex)
	// Output:
	// crm/1 and shop/2 are apart: weak_bridge on crm/2-shop/1 (p=0.8; clusters of 2 and 2; 1 scored pairs across, mean 0.8, 1 at or above the threshold)
}

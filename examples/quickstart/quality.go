package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"slices"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
)

// quality is how the profiles compare with the answer key.
type quality struct {
	Records  int          `json:"records"`
	Profiles int          `json:"profiles"`
	People   int          `json:"people"` // distinct people in the answer key
	Pairwise eval.Metrics `json:"pairwise"`
	// BCubedPrecision and BCubedRecall average, over records, how much of a
	// record's profile is the same person, and how much of the person the
	// profile holds.
	BCubedPrecision float64 `json:"bcubed_precision"`
	BCubedRecall    float64 `json:"bcubed_recall"`
	// Split lists people spread over several profiles; Lumped lists
	// profiles that hold several people.
	Split  []string `json:"split,omitempty"`
	Lumped []string `json:"lumped,omitempty"`
}

// readTruth reads data/truth.csv: source, record_key, person.
func readTruth() (eval.Truth, error) {
	f, err := data.Open("data/truth.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("truth.csv: %w", err)
	}
	truth := eval.Truth{}
	for i, row := range rows[1:] {
		if len(row) != 3 {
			return nil, fmt.Errorf("truth.csv line %d: %d fields, want 3", i+2, len(row))
		}
		truth[profile.Ref{Source: row[0], Key: row[1]}] = row[2]
	}
	return truth, nil
}

// measure scores the engine's profiles against the answer key: pairwise
// precision, recall and F1 over record pairs (a profile "predicts" every
// pair of its members), and B-cubed.
func measure(ctx context.Context, e *unify.Engine) (*quality, error) {
	truth, err := readTruth()
	if err != nil {
		return nil, err
	}
	pred := map[profile.Ref]string{}
	profiles := 0
	for p, err := range e.Profiles(ctx) {
		if err != nil {
			return nil, err
		}
		profiles++
		for _, m := range p.Members {
			pred[m] = p.ID
		}
	}
	q := &quality{Records: len(pred), Profiles: profiles}
	if q.Pairwise, err = eval.Clusters(pred, truth); err != nil {
		return nil, err
	}
	if q.BCubedPrecision, q.BCubedRecall, err = eval.BCubed(pred, truth); err != nil {
		return nil, err
	}
	// eval.BCubed sums in map order, so the last bits vary from run to
	// run; six decimals keep the output the same.
	q.BCubedPrecision, q.BCubedRecall = round6(q.BCubedPrecision), round6(q.BCubedRecall)
	people := map[string]map[string]bool{} // person -> profiles
	inProfile := map[string]map[string]bool{}
	for ref, id := range pred {
		person := truth[ref]
		if people[person] == nil {
			people[person] = map[string]bool{}
		}
		people[person][id] = true
		if inProfile[id] == nil {
			inProfile[id] = map[string]bool{}
		}
		inProfile[id][person] = true
	}
	q.People = len(people)
	for person, ids := range people {
		if len(ids) > 1 {
			q.Split = append(q.Split, fmt.Sprintf("%s in %d profiles", person, len(ids)))
		}
	}
	for _, ps := range inProfile {
		if len(ps) > 1 {
			names := make([]string, 0, len(ps))
			for p := range ps {
				names = append(names, p)
			}
			slices.Sort(names)
			q.Lumped = append(q.Lumped, fmt.Sprint(names))
		}
	}
	slices.Sort(q.Split)
	slices.Sort(q.Lumped)
	return q, nil
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

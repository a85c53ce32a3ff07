package match

import (
	"context"
	"encoding/csv"
	"os"
	"testing"

	"github.com/unifyhq/unify/profile"
)

func TestTrainLabelledFake1000(t *testing.T) {
	recs, truth := loadDataset(t, datasets[2])
	f, err := os.Open("../testdata/fake_1000_labels.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var labels []LabelledPair
	for _, r := range rows[1:] {
		labels = append(labels, LabelledPair{
			A:     profile.Ref{Source: "fake_1000", Key: r[0]},
			B:     profile.Ref{Source: "fake_1000", Key: r[2]},
			Match: r[4] == "1.0",
		})
	}
	m, err := TrainLabelled(context.Background(), recs, labels, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Model().Trained.Labelled != len(labels) {
		t.Errorf("model records %d labels, want %d", m.Model().Trained.Labelled, len(labels))
	}
	got := clusterMetrics(t, m, recs, truth)
	t.Logf("fake_1000 with labels: %v", got)
	if got.F1 < 0.9 {
		t.Errorf("F1 %.4f with labelled training", got.F1)
	}
	bad := append(labels, LabelledPair{A: profile.Ref{Source: "nope", Key: "1"}, B: recs[0].Ref(), Match: true})
	if _, err := TrainLabelled(context.Background(), recs, bad, Settings{}); err == nil {
		t.Error("a label naming an unknown record was accepted")
	}
}

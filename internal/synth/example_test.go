package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/unifyhq/unify/internal/synth"
)

// Generate records into memory and look at one person across sources, with
// the flags that say what the generator did to each copy.
func Example() {
	cfg := synth.DefaultConfig()
	cfg.Records = 12
	byPerson := map[string][]string{}
	var order []string
	_, err := synth.Generate(context.Background(), cfg, synth.SinkFuncs{
		RecordFunc: func(r *synth.Record) error {
			if byPerson[r.Person] == nil {
				order = append(order, r.Person)
			}
			line := fmt.Sprintf("%-10s %s [%v]", r.Source, strings.Join(r.Values[1:4], " | "), r.Flags)
			byPerson[r.Person] = append(byPerson[r.Person], line)
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range order[:3] {
		fmt.Println(p)
		for _, l := range byPerson[p] {
			fmt.Println("  " + l)
		}
	}
	// Output:
	// P00000001
	//   newsletter plorenzo@aol.com | Pablo | 1 []
	//   newsletter plorenzo@aol.com |  | 1 [missing|duplicate]
	// P00000002
	//   webshop    Teresa Moreno | teresamoreno@gmail.com | 6193949364 [partial_name]
	//   newsletter teresamoreno@gmail.com |  | 1 [name_swap|missing]
	// P00000003
	//   crm        Lisa | Ameslanf |  [typo_name|typo_address|missing|old_address]
	//   pos        AMESLAND L | +44 7976 648982 | E1 0QY [name_swap|case]
}

// Write CSV files (here into memory; CreateDir writes into a directory) and
// read the ground truth.
func ExampleNewWriter() {
	cfg := synth.DefaultConfig()
	cfg.Records = 5
	cfg.EventsPerPerson = 1
	files := map[string]*bytes.Buffer{}
	w, err := synth.NewWriter(synth.CSV, cfg.Sources, func(name string) (io.Writer, error) {
		files[name] = &bytes.Buffer{}
		return files[name], nil
	})
	if err != nil {
		log.Fatal(err)
	}
	stats, err := synth.Generate(context.Background(), cfg, w)
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.Files())
	fmt.Printf("%d people, %d records, %d events\n", stats.People, stats.Records, stats.Events)
	fmt.Print(files["truth.csv"])
	// Output:
	// [crm.csv webshop.csv support.csv pos.csv newsletter.csv web.csv truth.csv events.csv]
	// 3 people, 5 records, 7 events
	// source,record_id,person_id,household_id,flags
	// newsletter,fd7bd6dd0dcb,P00000001,H00000001,
	// newsletter,c988c7aa4f57,P00000001,H00000001,missing|duplicate
	// webshop,umpdjjc31,P00000002,H00000001,
	// pos,640212418787,P00000002,H00000001,case
	// webshop,u53wujr9v,P00000003,H00000002,spaces|junk_phone
}

package sqlitestore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueryPlans checks that every statement finds its rows through an
// index (SEARCH) and never sorts in a temporary b-tree, except the
// statements meant to read a whole table in key order (SCAN ... USING
// INDEX) and Assertions (a whole, small, table).
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scans := map[stmtID]bool{stRecordsFirst: true, stLinksFirst: true, stProfilesFirst: true, stAssertions: true}
	for id, q := range statements {
		nargs := strings.Count(q.sql, "?")
		args := make([]any, nargs)
		for i := range args {
			args[i] = "x"
		}
		rows, err := s.c.w.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, args...)
		if err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		t.Logf("%s\n\t-> %s", strings.Join(strings.Fields(q.sql), " "), all)
		if strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("statement %d sorts in a temporary b-tree: %s", id, all)
		}
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN") && !scans[stmtID(id)] {
				t.Errorf("statement %d scans: %s\n%s", id, all, q.sql)
			}
		}
	}
}

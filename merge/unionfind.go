package merge

// UnionFind is a disjoint-set forest over the dense element ids 0..n-1, with
// path halving and union by size: the core of connected components. Index
// records to dense ids first (a map from [profile.Ref] to int32) and keep the
// forest in two int32 slices: 8 bytes per element, no allocation per union.
//
// A UnionFind is not safe for concurrent use.
type UnionFind struct {
	parent []int32
	size   []int32
}

// NewUnionFind returns a forest of n singleton sets.
// It panics if n is negative or does not fit in an int32.
func NewUnionFind(n int) *UnionFind {
	u := &UnionFind{}
	u.Reset(n)
	return u
}

// Reset makes u a forest of n singleton sets, reusing its memory.
// It panics if n is negative or does not fit in an int32.
func (u *UnionFind) Reset(n int) {
	if n < 0 || int64(n) > 1<<31-1 {
		panic("merge: UnionFind size out of range")
	}
	if cap(u.parent) < n {
		u.parent = make([]int32, n)
		u.size = make([]int32, n)
	}
	u.parent, u.size = u.parent[:n], u.size[:n]
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
}

// Len returns the number of elements.
func (u *UnionFind) Len() int { return len(u.parent) }

// Find returns the representative of x's set.
func (u *UnionFind) Find(x int32) int32 {
	p := u.parent
	for p[x] != x {
		p[x] = p[p[x]] // path halving
		x = p[x]
	}
	return x
}

// Union joins the sets of a and b and reports whether they were apart.
// The larger set's representative survives; on equal sizes, the smaller id.
func (u *UnionFind) Union(a, b int32) bool {
	ra, rb := u.Find(a), u.Find(b)
	if ra == rb {
		return false
	}
	u.link(ra, rb)
	return true
}

// link joins two distinct roots and returns the surviving root.
func (u *UnionFind) link(ra, rb int32) int32 {
	if u.size[ra] < u.size[rb] || u.size[ra] == u.size[rb] && rb < ra {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	u.size[ra] += u.size[rb]
	return ra
}

// Size returns the number of elements in x's set.
func (u *UnionFind) Size(x int32) int { return int(u.size[u.Find(x)]) }

// Labels returns, for every element, the smallest element of its set, so
// equal labels mean one set and the labels do not depend on the order of the
// unions. It allocates the returned slice only.
func (u *UnionFind) Labels() []int32 {
	labels := make([]int32, len(u.parent))
	for i := range labels {
		labels[i] = -1
	}
	// Elements come in increasing order, so the first one seen of a set is
	// its smallest: record it at the root, then copy it to the members.
	for i := range labels {
		x := int32(i)
		r := u.Find(x)
		if labels[r] == -1 {
			labels[r] = x
		}
		if r != x {
			labels[i] = labels[r]
		}
	}
	return labels
}

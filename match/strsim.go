package match

import "unicode/utf8"

// maxStackRunes is the longest input the string similarity functions handle
// without allocating. Names, postcodes and email local parts are far shorter;
// longer inputs still work, through a heap-allocated slow path.
const maxStackRunes = 64

// isASCII reports whether s holds only bytes below 0x80.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// toRunes decodes s into buf when it fits, and allocates otherwise.
func toRunes(s string, buf *[maxStackRunes]rune) []rune {
	n := 0
	for _, r := range s {
		if n == maxStackRunes {
			return []rune(s)
		}
		buf[n] = r
		n++
	}
	return buf[:n]
}

// JaroWinkler returns the Jaro-Winkler similarity of a and b in [0, 1],
// comparing Unicode code points (not bytes). 1 means equal; 0 means nothing in
// common or an empty input.
//
// It follows github.com/antzucaro/matchr's JaroWinkler(a, b, false) exactly
// (a property test checks agreement within 1e-9): the match window is
// max(len)/2-1, and the Winkler prefix bonus (scale 0.1, up to four code
// points, applied above 0.7) counts only leading code points that are not
// ASCII digits. Unlike matchr it does not allocate for inputs of up to 64 code
// points, so it is safe on the pair-scoring hot path.
func JaroWinkler(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	if isASCII(a) && isASCII(b) {
		var ba, bb [maxStackRunes]byte
		return jaroWinkler(toBytes(a, &ba), toBytes(b, &bb))
	}
	var ba, bb [maxStackRunes]rune
	return jaroWinkler(toRunes(a, &ba), toRunes(b, &bb))
}

// char abstracts over bytes and runes so one generic body serves the ASCII
// fast path and the Unicode path.
type char interface{ byte | rune }

// toBytes copies an ASCII string into buf when it fits; the copy keeps the
// slice on the stack where a conversion would allocate.
func toBytes(s string, buf *[maxStackRunes]byte) []byte {
	if len(s) > maxStackRunes {
		return []byte(s)
	}
	return buf[:copy(buf[:], s)]
}

func jaroWinkler[C char](r1, r2 []C) float64 {
	n1, n2 := len(r1), len(r2)
	if n1 == 0 || n2 == 0 {
		return 0
	}
	maxLen := max(n1, n2)
	window := max(maxLen/2-1, 0)

	var stack1, stack2 [maxStackRunes]bool
	var f1, f2 []bool
	if n1 <= maxStackRunes && n2 <= maxStackRunes {
		f1, f2 = stack1[:n1], stack2[:n2]
	} else {
		f1, f2 = make([]bool, n1), make([]bool, n2)
	}

	common := 0
	for i := 0; i < n1; i++ {
		lo := max(i-window, 0)
		hi := min(i+window, n2-1)
		for j := lo; j <= hi; j++ {
			if !f2[j] && r2[j] == r1[i] {
				f1[i], f2[j] = true, true
				common++
				break
			}
		}
	}
	if common == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := 0; i < n1; i++ {
		if !f1[i] {
			continue
		}
		for k < n2 && !f2[k] {
			k++
		}
		if k < n2 && r1[i] != r2[k] {
			trans++
		}
		k++
	}
	trans /= 2
	c := float64(common)
	d := (c/float64(n1) + c/float64(n2) + (c-float64(trans))/c) / 3
	if d > 0.7 {
		lim := min(4, maxLen)
		p := 0
		for p < lim && p < n1 && p < n2 && r1[p] == r2[p] && !isDigit(rune(r1[p])) {
			p++
		}
		d += float64(p) * 0.1 * (1 - d)
	}
	return d
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// OSA returns the optimal string alignment distance between a and b: the
// number of insertions, deletions, substitutions and transpositions of
// adjacent code points needed to turn one into the other, where no substring
// is edited twice. "jhon" and "john" are at distance 1.
//
// It does not allocate for inputs of up to 64 code points. (matchr.OSA
// misses a transposition of the first two code points: OSA("ab", "ba") is 1
// here and 2 there.)
func OSA(a, b string) int {
	if a == b {
		return 0
	}
	if isASCII(a) && isASCII(b) {
		var ba, bb [maxStackRunes]byte
		return osa(toBytes(a, &ba), toBytes(b, &bb))
	}
	var ba, bb [maxStackRunes]rune
	return osa(toRunes(a, &ba), toRunes(b, &bb))
}

func osa[C char](s, t []C) int {
	n, m := len(s), len(t)
	if n == 0 {
		return m
	}
	if m == 0 {
		return n
	}
	// Three rolling rows: two back (for transpositions), previous, current.
	var stack [3 * (maxStackRunes + 1)]int
	var buf []int
	if m <= maxStackRunes {
		buf = stack[:3*(m+1)]
	} else {
		buf = make([]int, 3*(m+1))
	}
	pp, prev, cur := buf[:m+1], buf[m+1:2*(m+1)], buf[2*(m+1):]
	for j := 0; j <= m; j++ {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		for j := 1; j <= m; j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d = min(d, pp[j-2]+1)
			}
			cur[j] = d
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[m]
}

// WithinOSA reports whether OSA(a, b) <= k. It fills only the diagonal
// band of width 2k+1 of the distance matrix, so for small k it costs time
// proportional to the length, not its square, and stops as soon as a whole
// row exceeds k.
func WithinOSA(a, b string, k int) bool {
	if a == b {
		return true
	}
	if k < 0 {
		return false
	}
	if isASCII(a) && isASCII(b) {
		var ba, bb [maxStackRunes]byte
		return withinOSA(toBytes(a, &ba), toBytes(b, &bb), k)
	}
	var ba, bb [maxStackRunes]rune
	return withinOSA(toRunes(a, &ba), toRunes(b, &bb), k)
}

// withinOSA is the banded optimal string alignment test. Cells outside the
// band are taken as k+1 (over the bound), which never lowers a result
// within it.
func withinOSA[C char](s, t []C, k int) bool {
	n, m := len(s), len(t)
	if n-m > k || m-n > k {
		return false
	}
	if n == 0 || m == 0 {
		return max(n, m) <= k
	}
	over := k + 1
	var stack [3 * (maxStackRunes + 1)]int
	var buf []int
	if m <= maxStackRunes {
		buf = stack[:3*(m+1)]
	} else {
		buf = make([]int, 3*(m+1))
	}
	pp, prev, cur := buf[:m+1], buf[m+1:2*(m+1)], buf[2*(m+1):]
	for j := 0; j <= m; j++ {
		prev[j] = min(j, over)
		pp[j] = over
	}
	for i := 1; i <= n; i++ {
		lo, hi := max(1, i-k), min(m, i+k)
		for j := range cur {
			cur[j] = over
		}
		if i <= k {
			cur[0] = i
		}
		rowMin := over
		for j := lo; j <= hi; j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d = min(d, pp[j-2]+1)
			}
			d = min(d, over)
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > k && (i > k || cur[0] > k) {
			return false
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[m] <= k
}

// jwBound returns an upper bound of JaroWinkler(a, b) for ASCII inputs,
// computed in linear time: the common characters cannot exceed the multiset
// intersection of the two strings (ignoring the match window), there are no
// fewer than zero transpositions, and the Winkler bonus uses the actual
// common prefix. It returns 1 for non-ASCII inputs.
func jwBound(a, b string) float64 {
	if !isASCII(a) || !isASCII(b) || a == "" || b == "" {
		return 1
	}
	var cnt [128]int8
	for i := 0; i < len(a); i++ {
		if cnt[a[i]] < 127 {
			cnt[a[i]]++
		}
	}
	c := 0
	for i := 0; i < len(b); i++ {
		if cnt[b[i]] > 0 {
			cnt[b[i]]--
			c++
		}
	}
	if c == 0 {
		return 0
	}
	cf := float64(c)
	j := (cf/float64(len(a)) + cf/float64(len(b)) + 1) / 3
	if j > 0.7 {
		p := 0
		for p < 4 && p < len(a) && p < len(b) && a[p] == b[p] && !isDigit(rune(a[p])) {
			p++
		}
		j += float64(p) * 0.1 * (1 - j)
	}
	return j
}

// jaroWinklerAtLeast reports whether JaroWinkler(a, b) >= t, skipping the
// quadratic computation when the linear upper bound already falls short.
func jaroWinklerAtLeast(a, b string, t float64) bool {
	if a == b {
		if a == "" {
			return t <= 0
		}
		return t <= 1
	}
	if jwBound(a, b) < t {
		return false
	}
	return JaroWinkler(a, b) >= t
}

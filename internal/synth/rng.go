package synth

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// mix64 is the SplitMix64 finalizer: a cheap bijective scrambler of 64 bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashString is FNV-1a followed by mix64. It must be deterministic across
// processes (hash/maphash is not), because its results steer generation.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix64(h)
}

// weighted picks indexes with probability proportional to fixed weights.
type weighted struct {
	cum   []float64 // cumulative weights
	total float64
}

func newWeighted(w []float64) weighted {
	cum := make([]float64, len(w))
	t := 0.0
	for i, x := range w {
		if x > 0 {
			t += x
		}
		cum[i] = t
	}
	return weighted{cum: cum, total: t}
}

// zipfWeights returns Zipf-Mandelbrot weights 1/(rank+q)^s for n ranks. The
// offset q flattens the head: real name frequencies fall off more gently at
// the top than a pure power law.
func zipfWeights(n int, s, q float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i)+q, s)
	}
	return w
}

func (w *weighted) pick(r *rand.Rand) int {
	x := r.Float64() * w.total
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if w.cum[m] <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// zipfIndex draws a rank in [0, n) with probability roughly proportional to
// 1/(rank+q), by inverting the continuous distribution: O(1) and
// table-free, so it can spread draws over combinatorially large name
// spaces. A larger q flattens the head.
func zipfIndex(r *rand.Rand, n int, q float64) int {
	i := int(q*math.Pow((float64(n)+q)/q, r.Float64()) - q)
	return min(max(i, 0), n-1)
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool {
	return p > 0 && r.Float64() < p
}

// poisson draws a Poisson variate; large means use a normal approximation,
// which is plenty for event counts.
func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 40 {
		v := math.Round(mean + math.Sqrt(mean)*r.NormFloat64())
		return max(int(v), 0)
	}
	l := math.Exp(-mean)
	k, p := 0, r.Float64()
	for p > l {
		k++
		p *= r.Float64()
	}
	return k
}

// geometric counts successes before the first failure, each with probability p.
func geometric(r *rand.Rand, p float64, limit int) int {
	n := 0
	for n < limit && chance(r, p) {
		n++
	}
	return n
}

// perm is a keyed pseudo-random permutation of [0, n): a four-round Feistel
// network over the smallest even number of bits covering n, with cycle
// walking back into range. Record keys, order numbers and phone numbers come
// from perm(counter), so they look random yet never collide and carry no
// trace of generation order.
type perm struct {
	n    uint64
	half uint
	mask uint64
	keys [4]uint64
}

func newPerm(n, key uint64) perm {
	if n < 2 {
		n = 2
	}
	b := uint(bits.Len64(n - 1))
	if b%2 == 1 {
		b++
	}
	if b < 2 {
		b = 2
	}
	p := perm{n: n, half: b / 2, mask: 1<<(b/2) - 1}
	for i := range p.keys {
		key = mix64(key + 0x9e3779b97f4a7c15)
		p.keys[i] = key
	}
	return p
}

func (p *perm) feistel(x uint64) uint64 {
	l, r := x>>p.half, x&p.mask
	for _, k := range p.keys {
		l, r = r, l^(mix64(r^k)&p.mask)
	}
	return l<<p.half | r
}

// at returns the image of i, which must be below p.n.
func (p *perm) at(i uint64) uint64 {
	y := p.feistel(i)
	for y >= p.n {
		y = p.feistel(y)
	}
	return y
}

// bloom is a fixed-size Bloom filter used to keep generated email addresses
// distinct across people without memory that grows with the output. A false
// positive only makes the generator pick a different address.
type bloom struct {
	bits []uint64
	mask uint64
}

// newBloom sizes the filter at 10 to 20 bits per expected item: with four
// hashes, under 1% false positives at the expected load.
func newBloom(items int) *bloom {
	n := uint64(1) << 16
	for n < uint64(items)*10 && n < 1<<34 {
		n <<= 1
	}
	return &bloom{bits: make([]uint64, n/64), mask: n - 1}
}

// add inserts s and reports whether it may have been present already.
func (b *bloom) add(s string) (seen bool) {
	h := hashString(s)
	h2 := mix64(h) | 1
	seen = true
	for i := range uint64(4) {
		x := (h + i*h2) & b.mask
		w, m := x>>6, uint64(1)<<(x&63)
		if b.bits[w]&m == 0 {
			seen = false
			b.bits[w] |= m
		}
	}
	return seen
}

func (b *bloom) has(s string) bool {
	h := hashString(s)
	h2 := mix64(h) | 1
	for i := range uint64(4) {
		x := (h + i*h2) & b.mask
		if b.bits[x>>6]&(uint64(1)<<(x&63)) == 0 {
			return false
		}
	}
	return true
}

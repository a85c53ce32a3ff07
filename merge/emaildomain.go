package merge

import (
	"strings"

	"github.com/antzucaro/matchr"
	"github.com/unifyhq/unify/profile"
)

// mailProviders are the domains of large consumer mail providers. A
// profile that lists "anna@gmail.com" and "anna@gmail.con", or
// "anna@outlook.com" and "anna@outlok.com", holds one address and a typo of
// its domain: nobody has a mailbox at gmail.con. Written from general
// knowledge of the largest providers by country.
var mailProviders = func() map[string]bool {
	m := map[string]bool{}
	for _, d := range strings.Fields(`
		gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es yahoo.it yahoo.co.jp
		ymail.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.es hotmail.it outlook.com
		outlook.de outlook.fr outlook.es live.com live.co.uk live.fr live.de msn.com icloud.com me.com
		mac.com aol.com gmx.de gmx.net gmx.at gmx.ch web.de t-online.de freenet.de posteo.de mailbox.org
		orange.fr free.fr sfr.fr laposte.net wanadoo.fr libero.it virgilio.it alice.it tin.it tiscali.it
		comcast.net att.net verizon.net sbcglobal.net cox.net charter.net btinternet.com sky.com
		virginmedia.com talktalk.net bigpond.com optusnet.com.au shaw.ca rogers.com sympatico.ca
		mail.ru yandex.ru rambler.ru qq.com 163.com 126.com naver.com daum.net wp.pl o2.pl onet.pl
		interia.pl seznam.cz protonmail.com proton.me pm.me zoho.com fastmail.com telenet.be skynet.be
		yahoo.ca yahoo.com.au yahoo.co.in yahoo.com.br aol.co.uk aol.de hotmail.ca live.ca outlook.com.au
		bigpond.net.au uol.com.br bol.com.br terra.com.br
		ziggo.nl kpnmail.nl hetnet.nl bluewin.ch telia.com`) {
		m[d] = true
	}
	return m
}()

// typoOfProvider reports whether address a is address b with its domain
// misspelt: a domain that is no provider's but one edit from b's, which is,
// and the same mailbox once a's domain is set right (profile.MailboxKey:
// gmail's dots, "+tags").
func typoOfProvider(a, b string) bool {
	la, da, ok1 := strings.Cut(a, "@")
	_, db, ok2 := strings.Cut(b, "@")
	if !ok1 || !ok2 || da == db || mailProviders[da] || !mailProviders[db] {
		return false
	}
	// googlemail.com is gmail.com, which a typo is likelier to be near.
	if matchr.OSA(da, db) != 1 && !(db == "googlemail.com" && matchr.OSA(da, "gmail.com") == 1) {
		return false
	}
	return profile.MailboxKey(la+"@"+db) == profile.MailboxKey(b)
}

// dropDomainTypos removes from reps the emails that are another of them
// with the provider's domain misspelt; the records keep them.
func dropDomainTypos(reps []rep) []rep {
	if len(reps) < 2 {
		return reps
	}
	out := reps[:0]
	for i := range reps {
		typo := false
		for j := range reps {
			if i != j && typoOfProvider(strings.ToLower(reps[i].c.Value), strings.ToLower(reps[j].c.Value)) {
				typo = true
				break
			}
		}
		if !typo {
			out = append(out, reps[i])
		}
	}
	clear(reps[len(out):])
	return out
}

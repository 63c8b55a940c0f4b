// golookup: the lab's Go client. Resolves each name on the command line with Go's own DNS
// resolver (net.Resolver with PreferGo, built with CGO_ENABLED=0 as most container images
// are), one after the other, and prints one JSON line per name: what LookupHost returned and
// how long it took. Build: CGO_ENABLED=0 go build -o golookup .
package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"time"
)

type result struct {
	Name      string   `json:"name"`
	Addresses []string `json:"addresses"`
	Error     string   `json:"error,omitempty"`
	Seconds   float64  `json:"seconds"`
}

func main() {
	r := &net.Resolver{PreferGo: true}
	out := json.NewEncoder(os.Stdout)
	failed := false
	for _, name := range os.Args[1:] {
		start := time.Now()
		addrs, err := r.LookupHost(context.Background(), name)
		res := result{Name: name, Addresses: addrs, Seconds: time.Since(start).Seconds()}
		if res.Addresses == nil {
			res.Addresses = []string{}
		}
		if err != nil {
			res.Error = err.Error()
			failed = true
		}
		out.Encode(res)
	}
	if failed {
		os.Exit(1)
	}
}

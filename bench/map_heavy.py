# map_heavy: map inserts, updates, lookups (hits and misses), has() and
# removals, with string keys built at run time and sparse number keys.
N = 1000000
SK = 5003
NK = 20011


def main():
    m = {}
    nm = {}
    total = 0
    for i in range(N):
        k = "key" + str(i % SK)
        v = m.get(k)
        if v is None:
            m[k] = 1
        else:
            m[k] = v + 1
        nm[(i % NK) * 97] = i
        if i % 3 == 0:
            rk = "key" + str((i * 13) % SK)
            if rk in m:
                total = total + m[rk]
                del m[rk]
        if i % 5 == 0:
            rn = ((i * 11) % NK) * 97
            if rn in nm:
                total = total + nm[rn] % 1000
                del nm[rn]
        if nm.get(((i * 3) % NK) * 97) is not None:
            total = total + 1
    keys = list(m.keys())
    s = 0
    for key in keys:
        s = s + m[key]
    nkeys = list(nm.keys())
    nsum = 0
    for key in nkeys:
        nsum = nsum + nm[key] % 1000 + key
    print(total)
    print(len(keys))
    print(s)
    print(len(nkeys))
    print(nsum)


main()

# strings: building strings with + and str(), split, join, indexOf, substr,
# replace, upper/lower, trim, startsWith/endsWith, indexing, equality.
N = 300000


def main():
    words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    total = 0
    buf = ""
    for i in range(N):
        w = words[i % 5]
        num = str(i % 1000)
        s = w + "-" + num + "," + words[(i + 2) % 5] + ",end"
        parts = s.split(",")
        total = total + len(parts) + len(parts[1])
        joined = "/".join(parts)
        total = total + len(joined)
        idx = s.find("-")
        total = total + idx + s.find("zz")
        head = s[0:idx]
        if head == w:
            total = total + 1
        r = s.replace("end", "stop")
        total = total + len(r)
        if r.endswith("stop"):
            total = total + 1
        if s.startswith(w):
            total = total + 1
        u = head.upper()
        if u.lower() == w:
            total = total + 1
        padded = "  " + u + " "
        total = total + len(padded.strip())
        buf = buf + num[len(num) - 1]
        if len(buf) >= 64:
            total = total + len(buf) + buf.find("9")
            buf = ""
    print(total)
    print(buf)


main()

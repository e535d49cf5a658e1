# fields: objects with many fields (more than fit inline); every step reads
# and writes most of them.
STEPS = 30000
COUNT = 100


class Particle:
    def __init__(self, i):
        self.x = i * 7 % 1000
        self.y = i * 13 % 1000
        self.z = i * 29 % 1000
        self.vx = i % 7 + 1
        self.vy = i % 5 + 2
        self.vz = i % 3 + 3
        self.hits = 0
        self.age = 0
        self.energy = 0


def step(p):
    p.x = p.x + p.vx
    if p.x >= 1000:
        p.x = p.x - 1000
        p.hits = p.hits + 1
    p.y = p.y + p.vy
    if p.y >= 1000:
        p.y = p.y - 1000
        p.hits = p.hits + 1
    p.z = p.z + p.vz
    if p.z >= 1000:
        p.z = p.z - 1000
        p.hits = p.hits + 1
    p.age = p.age + 1
    p.energy = p.energy + p.vx + p.vy - p.vz
    t = p.vx
    p.vx = p.vy
    p.vy = p.vz
    p.vz = t


def main():
    ps = []
    for i in range(COUNT):
        ps.append(Particle(i))
    for s in range(STEPS):
        for i in range(COUNT):
            step(ps[i])
    total = 0
    for i in range(COUNT):
        p = ps[i]
        total = total + p.x + p.y + p.z + p.hits + p.age + p.energy
    print(total)


main()

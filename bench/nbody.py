# nbody: floating-point physics (Jovian planets, symplectic integrator);
# field reads/writes on a few objects and math.sqrt.
import math

STEPS = 500000

PI = 3.141592653589793
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24


class Body:
    def __init__(self, x, y, z, vx, vy, vz, mass):
        self.x = x
        self.y = y
        self.z = z
        self.vx = vx * DAYS_PER_YEAR
        self.vy = vy * DAYS_PER_YEAR
        self.vz = vz * DAYS_PER_YEAR
        self.mass = mass * SOLAR_MASS


def make_bodies():
    sun = Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
    jupiter = Body(4.84143144246472090, -1.16032004402742839, -0.103622044471123109,
                   0.00166007664274403694, 0.00769901118419740425, -0.0000690460016972063023,
                   0.000954791938424326609)
    saturn = Body(8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
                  -0.00276742510726862411, 0.00499852801234917238, 0.0000230417297573763929,
                  0.000285885980666130812)
    uranus = Body(12.8943695621391310, -15.1111514016986312, -0.223307578892655734,
                  0.00296460137564761618, 0.00237847173959480950, -0.0000296589568540237556,
                  0.0000436624404335156298)
    neptune = Body(15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
                   0.00268067772490389322, 0.00162824170038242295, -0.0000951592254519715870,
                   0.0000515138902046611451)
    return [sun, jupiter, saturn, uranus, neptune]


def offset_momentum(bodies):
    px = 0.0
    py = 0.0
    pz = 0.0
    for i in range(len(bodies)):
        b = bodies[i]
        px = px + b.vx * b.mass
        py = py + b.vy * b.mass
        pz = pz + b.vz * b.mass
    sun = bodies[0]
    sun.vx = -px / SOLAR_MASS
    sun.vy = -py / SOLAR_MASS
    sun.vz = -pz / SOLAR_MASS


def energy(bodies):
    e = 0.0
    n = len(bodies)
    for i in range(n):
        b = bodies[i]
        e = e + 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
        for j in range(i + 1, n):
            b2 = bodies[j]
            dx = b.x - b2.x
            dy = b.y - b2.y
            dz = b.z - b2.z
            e = e - (b.mass * b2.mass) / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(bodies, dt):
    sqrt = math.sqrt
    n = len(bodies)
    for i in range(n):
        b = bodies[i]
        for j in range(i + 1, n):
            b2 = bodies[j]
            dx = b.x - b2.x
            dy = b.y - b2.y
            dz = b.z - b2.z
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * sqrt(d2))
            bm = b.mass * mag
            b2m = b2.mass * mag
            b.vx = b.vx - dx * b2m
            b.vy = b.vy - dy * b2m
            b.vz = b.vz - dz * b2m
            b2.vx = b2.vx + dx * bm
            b2.vy = b2.vy + dy * bm
            b2.vz = b2.vz + dz * bm
    for i in range(n):
        b = bodies[i]
        b.x = b.x + dt * b.vx
        b.y = b.y + dt * b.vy
        b.z = b.z + dt * b.vz


def main():
    bodies = make_bodies()
    offset_momentum(bodies)
    print(math.floor(energy(bodies) * 1000000000))
    for _ in range(STEPS):
        advance(bodies, 0.01)
    print(math.floor(energy(bodies) * 1000000000))


main()

"""Smoke test of the scatter Monte Carlo: its single scatter of a monochromatic beam equals the
closed-form thick-sample integral of xraylib's differential cross sections."""

import math

import numpy as np
import xraylib

from training.reference import scatter_mc


def test_single_scatter_matches_the_closed_form() -> None:
    e0, psi = 20.0, 50.0
    src = {
        "e": np.array([e0]),
        "n": np.array([1.0]),
        "line": np.array([False]),
        "w": np.array([1e-6]),
    }
    fr = scatter_mc.element_fractions(scatter_mc.SAMPLES["cellulose"])
    mat = scatter_mc.Material(fr)
    r = scatter_mc.run_batch(mat, src, 40_000, psi, psi, np.random.default_rng(1))
    theta = math.radians(2 * psi)
    e_c = float(scatter_mc.compton_energy(np.array(e0), np.array(math.cos(theta))))
    mu = lambda e: sum(w * xraylib.CS_Total(z, e) for z, w in fr.items())  # noqa: E731
    rayleigh = sum(w * xraylib.DCS_Rayl(z, e0, theta) for z, w in fr.items()) / (2 * mu(e0))
    compton = sum(w * xraylib.DCS_Compt(z, e0, theta) for z, w in fr.items()) / (mu(e0) + mu(e_c))
    order1 = r["hist"][0, 0]
    b_r = scatter_mc.bin_of(np.array([e0]))[0]
    b_c = scatter_mc.bin_of(np.array([e_c]))[0]
    assert abs(order1[b_r] / rayleigh - 1) < 0.03
    assert abs(order1[b_c] / compton - 1) < 0.03
    assert math.isclose(order1.sum(), order1[b_r] + order1[b_c], rel_tol=1e-12)
    # Multiple scatter exists, is smaller than single scatter and lies below the beam energy.
    order2 = r["hist"][0, 1]
    assert 0.05 * order1.sum() < order2.sum() < order1.sum()
    assert order2[scatter_mc.bin_of(np.array([e0 + 0.1]))[0] :].sum() == 0


def test_double_scatter_of_isotropic_scatterers_matches_the_closed_form() -> None:
    # Isotropic Rayleigh scatter only: the second order has the closed form
    # N2 = (sigma/4pi)^2 / sin psi1 * 2 pi (L(a) + L(b)) / (a + b), L(c) = ln(1 + c/mu)/c,
    # a = mu/sin psi1, b = mu/sin psi2 (two isotropic point sources in a half-space).
    e0, psi1, psi2 = 15.0, 40.0, 60.0
    src = {
        "e": np.array([e0]),
        "n": np.array([1.0]),
        "line": np.array([False]),
        "w": np.array([1e-6]),
    }
    fr = scatter_mc.element_fractions(scatter_mc.SAMPLES["iron"])
    mat = scatter_mc.Material(fr, isotropic_rayleigh_only=True)
    r = scatter_mc.run_batch(mat, src, 100_000, psi1, psi2, np.random.default_rng(2))
    mu = sum(w * xraylib.CS_Total(z, e0) for z, w in fr.items())
    sig = sum(w * xraylib.CS_Rayl(z, e0) for z, w in fr.items())
    s1, s2 = math.sin(math.radians(psi1)), math.sin(math.radians(psi2))
    a, b = mu / s1, mu / s2
    ell = lambda c: math.log1p(c / mu) / c  # noqa: E731
    n1 = sig / (4 * math.pi) / s1 / (a + b)
    n2 = (sig / (4 * math.pi)) ** 2 / s1 * 2 * math.pi * (ell(a) + ell(b)) / (a + b)
    assert abs(r["hist"][0, 0].sum() / n1 - 1) < 0.02
    assert abs(r["hist"][0, 1].sum() / n2 - 1) < 0.03

"""Draws .claude-plugin/icon.png: a stack of three Talos VMs under a helm wheel.

Run: uv run --with pillow python tests/plugin/icon_generator.py
(Pillow is needed only here, not by the package or the tests.)
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = 1024
SCALE = 2  # draw large, then downsample for smooth edges
OUT = Path(__file__).resolve().parents[2] / ".claude-plugin" / "icon.png"


def draw() -> Image.Image:
    s = SIZE * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))

    # Background: a rounded square with a vertical indigo -> teal gradient.
    grad = Image.new("RGBA", (s, s))
    top, bottom = (32, 38, 86), (14, 116, 132)
    gd = ImageDraw.Draw(grad)
    for y in range(s):
        t = y / (s - 1)
        gd.line(
            [(0, y), (s, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    mask = Image.new("L", (s, s), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, s - 1, s - 1], radius=int(s * 0.2), fill=255)
    img.paste(grad, (0, 0), mask)
    d = ImageDraw.Draw(img)

    # A helm wheel (the cluster) behind the upper half.
    cx, cy, r = s * 0.5, s * 0.36, s * 0.24
    ring = int(s * 0.035)
    wheel = (236, 242, 255, 255)
    for i in range(7):
        a = -math.pi / 2 + i * 2 * math.pi / 7
        x1, y1 = cx + math.cos(a) * r * 0.28, cy + math.sin(a) * r * 0.28
        x2, y2 = cx + math.cos(a) * r * 1.28, cy + math.sin(a) * r * 1.28
        d.line([(x1, y1), (x2, y2)], fill=wheel, width=int(s * 0.03))
        d.ellipse([x2 - s * 0.032, y2 - s * 0.032, x2 + s * 0.032, y2 + s * 0.032], fill=wheel)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=wheel, width=ring)
    d.ellipse([cx - r * 0.3, cy - r * 0.3, cx + r * 0.3, cy + r * 0.3], fill=wheel)
    d.ellipse([cx - r * 0.13, cy - r * 0.13, cx + r * 0.13, cy + r * 0.13], fill=(32, 38, 86, 255))

    # Three VM slabs (Proxmox hosts / Talos VMs) in front of the lower half.
    slab_w, slab_h, gap = s * 0.62, s * 0.105, s * 0.03
    left = (s - slab_w) / 2
    y0 = s * 0.50
    colours = [(255, 138, 61), (255, 112, 67), (236, 84, 74)]  # warm, like Proxmox orange
    shadow = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    sd = ImageDraw.Draw(shadow)
    for i in range(3):
        y = y0 + i * (slab_h + gap)
        sd.rounded_rectangle(
            [left + s * 0.012, y + s * 0.018, left + slab_w + s * 0.012, y + slab_h + s * 0.018],
            radius=int(s * 0.025),
            fill=(0, 0, 0, 110),
        )
    img.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(s * 0.01)))
    d = ImageDraw.Draw(img)
    for i, colour in enumerate(colours):
        y = y0 + i * (slab_h + gap)
        d.rounded_rectangle(
            [left, y, left + slab_w, y + slab_h], radius=int(s * 0.025), fill=(*colour, 255)
        )
        # front panel: drive bays and two status LEDs
        for k in range(4):
            bx = left + s * 0.05 + k * s * 0.075
            d.rounded_rectangle(
                [bx, y + slab_h * 0.32, bx + s * 0.055, y + slab_h * 0.68],
                radius=int(s * 0.008),
                fill=(255, 255, 255, 90),
            )
        for k, led in enumerate([(120, 255, 160), (255, 255, 255)]):
            lx = left + slab_w - s * 0.07 - k * s * 0.055
            ly = y + slab_h / 2
            d.ellipse(
                [lx - s * 0.017, ly - s * 0.017, lx + s * 0.017, ly + s * 0.017], fill=(*led, 255)
            )
    return img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw().save(OUT, optimize=True)
    print(f"wrote {OUT}")

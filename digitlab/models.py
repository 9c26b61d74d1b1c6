"""The two model families DigitLab teaches: an MLP and a small CNN. Imports only torch."""

from __future__ import annotations

import torch
from torch import nn

ACTIVATION = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


class MLP(nn.Module):
    """Flatten 28x28 -> hidden layers -> 10 logits, e.g. MLP(hidden=(256, 128))."""

    def __init__(
        self, hidden: tuple[int, ...] = (256, 128), activation: str = "relu", dropout: float = 0.1
    ) -> None:
        super().__init__()
        sizes = (28 * 28, *hidden)
        layers: list[nn.Module] = [nn.Flatten()]  # (B, 1, 28, 28) -> (B, 784)
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            layers += [nn.Linear(fan_in, fan_out), ACTIVATION[activation]()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(sizes[-1], 10))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)  # (B, 10)

    def penultimate(self, x: torch.Tensor) -> torch.Tensor:
        """What the last layer reads: the last hidden layer's output, (B, hidden[-1])."""
        return self.net[:-1](x)


class CNN(nn.Module):
    """[2x2 patches ->] conv stages (3x3 conv, 2x2 max-pool, [BN], ReLU) -> [dense layers ->]
    dropout -> linear, e.g. CNN((16, 32), patch=2, dense=(128,)).

    patch=2 regroups the image into 14x14 blocks of 2x2 pixels (4 channels) before the first
    conv: that conv is then a 6x6 filter moved 2 pixels at a time, and every stage runs on a 4x
    smaller map (2.5-3.5x cheaper training steps on a CPU than 16-32-64 on pixels, BENCHMARKS.md).
    dense: hidden Linear+ReLU layers between the last stage and the 10 logits.
    """

    def __init__(
        self,
        channels: tuple[int, ...] = (16, 32, 64),
        dropout: float = 0.1,
        batch_norm: bool = True,
        patch: int = 1,
        dense: tuple[int, ...] = (),
    ) -> None:
        super().__init__()
        stages: list[nn.Module] = [nn.PixelUnshuffle(patch)] if patch > 1 else []
        fan_in = patch * patch  # (B, 1, 28, 28) -> (B, p*p, 28/p, 28/p)
        for width in channels:
            # Pooling before BN and ReLU runs them on a 4x smaller map: 1.5-1.9x faster training
            # steps on a CPU (benchmarks/README) for the same kind of model.
            stages += [nn.Conv2d(fan_in, width, 3, padding=1, bias=not batch_norm), nn.MaxPool2d(2)]
            stages += [nn.BatchNorm2d(width)] if batch_norm else []
            stages += [nn.ReLU(inplace=True)]
            fan_in = width
        self.features = nn.Sequential(*stages)
        side = (28 // patch) >> len(channels)  # 28 -> 14 -> 7 -> 3, or 14 -> 7 -> 3 -> 1
        head: list[nn.Module] = [nn.Flatten()]
        fan_in *= side * side
        for width in dense:
            head += [nn.Linear(fan_in, width), nn.ReLU(inplace=True)]
            fan_in = width
        self.head = nn.Sequential(*head, nn.Dropout(dropout), nn.Linear(fan_in, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))  # (B, 1, 28, 28) -> (B, C, s, s) -> (B, 10)

    def penultimate(self, x: torch.Tensor) -> torch.Tensor:
        """What the last layer reads: the last dense layer's output, or without one the last
        stage's maps, flattened."""
        return self.head[:-1](self.features(x))


def prefers_channels_last(model: nn.Module) -> bool:
    """CNNs run channels_last on every device: 3x faster CPU steps (NCHW max-pool is slow)."""
    return isinstance(model, CNN)


REGISTRY: dict[str, type[nn.Module]] = {"mlp": MLP, "cnn": CNN}


def build_model(cfg) -> nn.Module:
    """Build the model a TrainConfig (anything with .model and .model_kwargs()) describes."""
    return REGISTRY[cfg.model](**cfg.model_kwargs())


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)

import pytest
import torch

from digitlab.config import TrainConfig
from digitlab.models import CNN, MLP, build_model, count_parameters


def test_mlp_matches_the_classic_784_128_64_10_parameter_count():
    # 784*128+128 + 128*64+64 + 64*10+10
    assert count_parameters(MLP(hidden=(128, 64))) == 109_386


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_activations_give_logits(activation):
    out = MLP(hidden=(32,), activation=activation)(torch.zeros(5, 1, 28, 28))
    assert out.shape == (5, 10)


@pytest.mark.parametrize("channels", [(8,), (8, 16), (8, 16, 32)])
@pytest.mark.parametrize("batch_norm", [True, False])
def test_cnn_shapes(channels, batch_norm):
    model = CNN(channels=channels, batch_norm=batch_norm)
    assert model(torch.randn(3, 1, 28, 28)).shape == (3, 10)
    has_bn = any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
    assert has_bn == batch_norm


def test_build_model_follows_the_config():
    mlp = build_model(TrainConfig(model="mlp", hidden=(64,), dropout=0.0))
    assert isinstance(mlp, MLP)
    assert not any(isinstance(m, torch.nn.Dropout) for m in mlp.modules())
    cnn = build_model(TrainConfig(model="cnn", channels=(4, 8)))
    assert isinstance(cnn, CNN)
    assert [m.out_channels for m in cnn.modules() if isinstance(m, torch.nn.Conv2d)] == [4, 8]


def test_default_models_stay_small_enough_for_two_cpu_cores():
    for model in ("mlp", "cnn"):
        assert count_parameters(build_model(TrainConfig(model=model))) < 300_000

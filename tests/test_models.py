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


def test_cnn_on_2x2_patches_is_a_6x6_filter_moved_2_pixels():
    torch.manual_seed(0)
    model = CNN(channels=(8,), patch=2).eval()
    conv = model.features[1]
    x = torch.randn(2, 1, 28, 28)
    blocks = torch.nn.functional.pixel_unshuffle(x, 2)  # (2, 4, 14, 14)
    filters = torch.nn.functional.pixel_shuffle(conv.weight, 2)  # (8, 1, 6, 6)
    pixels = torch.nn.functional.conv2d(x, filters, stride=2, padding=2)
    torch.testing.assert_close(conv(blocks), pixels, atol=1e-5, rtol=1e-5)
    assert model(x).shape == (2, 10)


@pytest.mark.parametrize("patch", [1, 2])
@pytest.mark.parametrize("dense", [(), (32,), (32, 16)])
def test_cnn_dense_layers_sit_between_the_stages_and_the_logits(patch, dense):
    model = CNN(channels=(8, 16), patch=patch, dense=dense).eval()
    x = torch.randn(3, 1, 28, 28)
    assert model(x).shape == (3, 10)
    side = (28 // patch) >> 2
    assert model.penultimate(x).shape == (3, dense[-1] if dense else 16 * side * side)
    linears = [m.out_features for m in model.modules() if isinstance(m, torch.nn.Linear)]
    assert linears == [*dense, 10]


def test_a_cnn_without_patches_or_dense_layers_keeps_the_old_layout():
    # The shipped checkpoints' state_dict keys: features.<i> and head.2 (Flatten, Dropout, Linear).
    keys = set(CNN(channels=(8, 16)).state_dict())
    assert {"features.0.weight", "features.4.weight", "head.2.weight"} <= keys

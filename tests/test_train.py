import copy
import threading
from contextlib import nullcontext

import numpy as np
import pytest
import torch

from digitlab.config import TrainConfig
from digitlab.data import normalize
from digitlab.evaluate import evaluate
from digitlab.training.events import Done, Eval, Probe, Step
from digitlab.training.step import train_step
from digitlab.training.trainer import train

SMALL = {"subset": 3000, "batch_size": 64, "epochs": 3, "seed": 1}


def _run(cfg, mnist, stop=None):
    events = list(train(cfg, mnist, stop))
    assert isinstance(events[-1], Done)
    return events, events[-1]


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_short_real_training_reaches_a_sane_accuracy(mnist, model):
    sizes = {"hidden": (128,)} if model == "mlp" else {"channels": (8, 16)}
    cfg = TrainConfig(model=model, **sizes, **SMALL)
    events, done = _run(cfg, mnist)
    steps = [e for e in events if isinstance(e, Step)]
    evals = [e for e in events if isinstance(e, Eval)]
    assert len(steps) >= 5 and steps[-1].step == cfg.total_steps
    assert [e.epoch for e in evals] == [0.0, 1.0, 2.0, 3.0]  # from the untrained model on
    assert evals[0].sample == 1_000 and evals[0].test_accuracy < 0.3  # about chance
    assert steps[-1].loss < steps[0].loss
    assert done.metrics["test_accuracy"] > 0.90  # 3,000 images, 3 epochs
    assert done.metrics["steps"] == cfg.total_steps and not done.stopped
    assert sum(map(sum, done.metrics["confusion"])) == 10_000
    assert not done.model.training and next(done.model.parameters()).device.type == "cpu"


def test_seeded_runs_are_reproducible_on_cpu(mnist):
    cfg = TrainConfig(model="cnn", channels=(4, 8), augment=True, max_steps=20, **SMALL)
    first, second = _run(cfg, mnist)[1], _run(cfg, mnist)[1]
    for a, b in zip(
        first.model.state_dict().values(), second.model.state_dict().values(), strict=True
    ):
        assert torch.equal(a, b)
    other = _run(TrainConfig(**{**cfg.to_dict(), "seed": 2}), mnist)[1]
    assert not torch.equal(
        first.model(torch.ones(1, 1, 28, 28)), other.model(torch.ones(1, 1, 28, 28))
    )


def _step_dtypes(cfg, mnist) -> tuple[set[torch.dtype], Done]:
    """The dtypes the first Linear layer computed in during a run's training steps."""
    seen, original = set(), torch.nn.Linear.forward

    def forward(self, x):
        out = original(self, x)
        if self.training:  # the run's steps, not its evaluations
            seen.add(out.dtype)
        return out

    torch.nn.Linear.forward = forward
    try:
        done = _run(cfg, mnist)[1]
    finally:
        torch.nn.Linear.forward = original
    return seen, done


BF16_CPU = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()


@pytest.mark.parametrize("precision", ["fp32", "bf16", "auto"])
def test_a_runs_steps_compute_in_the_precision_asked_and_it_says_which(mnist, precision):
    cfg = TrainConfig(model="mlp", hidden=(32,), max_steps=5, precision=precision, **SMALL)
    if precision == "auto" and not BF16_CPU:
        pytest.skip("this CPU has no native bf16 (AVX512-BF16 or AMX): auto is fp32 here")
    seen, done = _step_dtypes(cfg, mnist)
    expected = "fp32" if precision == "fp32" else "bf16"  # auto: bf16 on a CPU that has it
    assert seen == {torch.float32 if expected == "fp32" else torch.bfloat16}
    assert done.metrics["precision"] == expected
    assert done.trained_on == ("cpu" if expected == "fp32" else "cpu, bf16")
    # The weights stay fp32 whatever the steps computed in, and so do the predictions.
    assert {p.dtype for p in done.model.parameters()} == {torch.float32}
    assert done.model(torch.zeros(1, 1, 28, 28)).dtype == torch.float32


@pytest.mark.parametrize("smoothing", [0.0, 0.05, 0.3])
def test_a_step_descends_torchs_label_smoothed_loss_and_reports_the_plain_one(smoothing):
    torch.manual_seed(0)
    x, y = torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,))
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    twin = copy.deepcopy(model)
    reported = train_step(
        model, torch.optim.SGD(model.parameters(), lr=1.0), x, y, nullcontext(), smoothing
    )
    # The same step on torch's own smoothed cross-entropy: the same weights after it.
    loss = torch.nn.functional.cross_entropy(twin(x), y, label_smoothing=smoothing)
    plain = torch.nn.functional.cross_entropy(twin(x), y).detach()
    optimizer = torch.optim.SGD(twin.parameters(), lr=1.0)
    loss.backward()
    optimizer.step()
    for mine, theirs in zip(model.parameters(), twin.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs)
    torch.testing.assert_close(reported, plain)  # the curve shows plain cross-entropy


def test_label_smoothing_trains_a_less_over_sure_model(mnist):
    models = {
        smoothing: _run(TrainConfig(model="mlp", hidden=(32,), label_smoothing=smoothing,
                                    max_steps=60, **SMALL), mnist)[1].model
        for smoothing in (0.0, 0.2)
    }  # fmt: skip
    x = normalize(mnist.test_x[:1000])
    with torch.no_grad():
        sure = {k: m(x).softmax(1).amax(1).mean().item() for k, m in models.items()}
    assert sure[0.2] < sure[0.0] - 0.02, sure  # its targets were 0.82, not 1


def test_stop_takes_effect_within_one_batch_and_keeps_the_partial_model(mnist):
    # constant lr: one-cycle's warm-up would make 30 steps learn almost nothing
    cfg = TrainConfig(model="mlp", hidden=(32,), schedule="constant", **{**SMALL, "epochs": 50})
    stop = threading.Event()
    seen = []
    for event in train(cfg, mnist, stop):
        seen.append(event)
        if isinstance(event, Step) and event.step >= 30:
            stop.set()
    done = seen[-1]
    assert isinstance(done, Done) and done.stopped
    assert done.metrics["steps"] == 30  # no step after the request
    assert done.metrics["test_accuracy"] > 0.5  # a real, partly trained model comes back


def test_a_tiny_run_still_reports_a_loss_curve(mnist):
    cfg = TrainConfig(model="mlp", subset=1000, batch_size=256, epochs=2)  # 6 steps in all
    steps = [e.step for e in train(cfg, mnist) if isinstance(e, Step)]
    assert steps == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("schedule", ["constant", "onecycle", "cosine"])
@pytest.mark.parametrize("steps", [1, 2, 3, 4, 5])
def test_runs_of_any_length_work_with_every_schedule(mnist, schedule, steps):
    # 300 images in batches of 64 is 4 steps: OneCycleLR used to divide by zero there.
    images = 300 if steps == 4 else 64 * steps + 10
    cfg = TrainConfig(
        model="mlp", hidden=(16,), subset=images, batch_size=64, epochs=1, schedule=schedule
    )
    events = list(train(cfg, mnist))
    reported = [e for e in events if isinstance(e, Step)]
    assert [e.step for e in reported] == list(range(1, steps + 1))
    assert all(0 < e.lr <= cfg.lr and e.loss > 0 for e in reported)
    assert events[-1].metrics["steps"] == steps and events[-1].metrics["ended"] == "finished"


def test_stop_before_the_first_step_still_returns_a_model(mnist):
    stop = threading.Event()
    stop.set()
    done = list(train(TrainConfig(model="mlp", **SMALL), mnist, stop))[-1]
    assert done.stopped and done.metrics["steps"] == 0 and done.metrics["ended"] == "stopped"
    assert len(done.metrics["confusion"]) == 10  # the untrained model, evaluated


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "adamw"])
@pytest.mark.parametrize("schedule", ["constant", "onecycle", "cosine"])
def test_every_optimizer_and_schedule_learns(mnist, optimizer, schedule):
    lr = 0.05 if optimizer in ("sgd", "momentum") else 3e-3
    cfg = TrainConfig(
        model="mlp", hidden=(64,), optimizer=optimizer, schedule=schedule, lr=lr, max_steps=40,
        **SMALL,
    )  # fmt: skip
    assert _run(cfg, mnist)[1].metrics["test_accuracy"] > 0.6


def test_a_diverging_learning_rate_finishes_without_crashing(mnist):
    cfg = TrainConfig(
        model="mlp", optimizer="sgd", schedule="constant", lr=10.0, max_steps=30, **SMALL
    )
    done = _run(cfg, mnist)[1]
    assert done.metrics["test_accuracy"] < 0.5  # the lesson: lr too high does not learn


def test_evaluate_reports_per_digit_accuracy(mnist):
    done = _run(TrainConfig(model="mlp", max_steps=30, **SMALL), mnist)[1]
    result = evaluate(done.model, mnist.test_x, mnist.test_y)
    confusion = torch.tensor(result["confusion"])
    assert confusion.sum(1).tolist() == torch.bincount(mnist.test_y).tolist()
    assert result["accuracy"] == pytest.approx(confusion.diag().sum().item() / 10_000, abs=1e-6)
    assert len(result["per_class"]) == 10 and all(0 <= a <= 1 for a in result["per_class"])
    assert "predicted" not in result


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_evaluate_also_gives_each_images_prediction_and_confidence(mnist, model):
    sizes = {"hidden": (32,)} if model == "mlp" else {"channels": (4, 8), "dropout": 0.2}
    done = _run(TrainConfig(model=model, max_steps=30, **sizes, **SMALL), mnist)[1]
    before = {k: v.clone() for k, v in done.model.state_dict().items()}
    result = evaluate(done.model, mnist.test_x[:3000], mnist.test_y[:3000], predictions=True)
    pred, conf = result["predicted"], result["confidence"]
    assert pred.shape == conf.shape == (3000,) and isinstance(pred, np.ndarray)
    assert result["accuracy"] == pytest.approx((pred == mnist.test_y[:3000].numpy()).mean())
    # An independent reference: the model's own softmax, one image at a time.
    with torch.no_grad():
        for i in (0, 1, 2999):
            x = (mnist.test_x[i : i + 1].float() / 255 - 0.1307) / 0.3081
            probs = torch.softmax(done.model(x.unsqueeze(1)), 1)[0]
            assert pred[i] == int(probs.argmax())
            assert conf[i] == pytest.approx(float(probs.max()), abs=1e-5)
    assert not done.model.training
    for name, value in done.model.state_dict().items():  # a shared model is left as it was
        assert torch.equal(value, before[name]) and value.is_contiguous()


def test_a_followed_drawing_changes_nothing_and_the_model_changes_its_mind(mnist):
    # A real test digit on the "canvas"; a CNN with batch norm and dropout, whose modes matter.
    index = 0
    image = mnist.test_x[index].float().numpy() / 255
    label = int(mnist.test_y[index])
    cfg = TrainConfig(model="cnn", channels=(8, 16), dropout=0.2, **SMALL)
    probe = Probe(image)
    followed = list(train(cfg, mnist, probe=probe))
    plain = list(train(cfg, mnist))
    losses = [e.loss for e in followed if isinstance(e, Step)]
    assert losses == [e.loss for e in plain if isinstance(e, Step)]  # same run, bit for bit
    assert followed[-1].metrics["test_accuracy"] == plain[-1].metrics["test_accuracy"]
    seen = [e.probe for e in followed if isinstance(e, Step)]
    assert all(s is not None and s[0] is image for s in seen)
    first, last = seen[0][1], seen[-1][1]
    assert all(abs(p.sum() - 1) < 1e-5 for _, p in seen)
    assert last.argmax() == label and last[label] > first[label] + 0.3, (first, last)


def test_the_probe_follows_a_new_drawing_and_reports_nothing_without_one(mnist):
    cfg = TrainConfig(model="mlp", hidden=(16,), subset=640, batch_size=64, epochs=1)
    probe = Probe()
    events = train(cfg, mnist, probe=probe)
    first = next(e for e in events if isinstance(e, Step))
    assert first.probe is None  # nothing drawn yet
    drawing = mnist.test_x[1].float().numpy() / 255
    probe.image = drawing  # the student draws while it trains
    later = [e for e in events if isinstance(e, Step)]
    assert later and all(e.probe[0] is drawing for e in later)


def test_a_run_started_from_a_model_starts_where_that_model_is(mnist):
    trained = _run(TrainConfig(model="mlp", hidden=(64,), **SMALL), mnist)[1].model
    cfg = TrainConfig(model="mlp", hidden=(64,), subset=3000, batch_size=64, max_steps=1, seed=7)
    before = {k: v.clone() for k, v in trained.state_dict().items()}
    tuned = [e for e in train(cfg, mnist, start_from=trained) if isinstance(e, (Eval, Done))]
    assert tuned[0].test_accuracy > 0.85  # the first curve point is the trained model's
    fresh = [e for e in train(cfg, mnist) if isinstance(e, Eval)][0]
    assert fresh.test_accuracy < 0.3  # a fresh start is at chance
    # The start model is copied, never trained in place; the run's model did take its step.
    assert all(torch.equal(v, before[k]) for k, v in trained.state_dict().items())
    assert not torch.equal(tuned[-1].model.state_dict()["net.1.weight"], before["net.1.weight"])
    with pytest.raises(RuntimeError):  # another architecture's weights do not fit
        list(train(TrainConfig(model="mlp", hidden=(32,), max_steps=1), mnist, start_from=trained))


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_reading_the_followed_drawing_leaves_it_as_drawn(model):
    # The chart of "your drawing while the model trains" reads the same drawing many times: each
    # read must give what the model says of the drawing, not of a drawing normalised again.
    from digitlab.models import build_model
    from digitlab.training.parts import read_probe

    net = build_model(TrainConfig(model=model, hidden=(16,), channels=(4,), dense=()))
    drawing = np.zeros((28, 28), dtype=np.float32)
    drawing[6:22, 12:16] = 1.0
    kept = drawing.copy()
    reads = [read_probe(net, drawing, False, temperature=1.0)[1] for _ in range(3)]
    np.testing.assert_array_equal(drawing, kept)
    with torch.no_grad():
        expected = torch.softmax(net.eval()(normalize(torch.from_numpy(kept[None]))), 1)[0]
    for probs in reads:
        np.testing.assert_allclose(probs, expected.numpy(), rtol=1e-5, atol=1e-6)


def test_the_followed_drawing_reads_as_the_app_reads_it_across_stop_and_train_on(mnist):
    # The chart's probabilities are the Draw tab's: temperature-scaled with the T the run saves
    # with its model. A run stopped, then trained on: each part's last point is what a fresh
    # Predictor of the saved model says of the drawing, and every point is a softmax of the
    # model's logits divided by the T of the last evaluation before it.
    from digitlab.inference.predict import Predictor
    from digitlab.training.steering import more_epochs
    from digitlab.training.view import LiveView

    drawing = (mnist.test_x[9].float() / 255).numpy()  # a 4
    cfg = TrainConfig(model="cnn", channels=(4, 8), dense=(16,), **SMALL)
    stop, view = threading.Event(), LiveView("")
    events = []
    for event in train(cfg, mnist, stop, Probe(drawing)):
        events.append(event)
        view.record(event)
        if isinstance(event, Step) and event.step >= 60:
            stop.set()
    done = events[-1]
    assert done.stopped and done.metrics["temperature"] != 1.0  # fitted at the evaluations
    temperatures = set()
    for part in (done, None):
        if part is None:  # Train on: the stopped run, one epoch more
            more = more_epochs(done, 1)
            for event in train(more, mnist, None, Probe(drawing), continue_from=done):
                view.record(event)
            part = view.done
        app = Predictor(part.model, metrics=part.metrics).probabilities(drawing)[0]
        np.testing.assert_allclose(view.probe[-1][1], app, rtol=1e-4, atol=1e-6)
        assert view.probe[-1][0] == round(part.metrics["epochs"], 4)
        temperatures.add(part.metrics["temperature"])
    assert len(temperatures) == 2 and all(t > 0 for t in temperatures)
    assert [epoch for epoch, _ in view.probe] == sorted(epoch for epoch, _ in view.probe)

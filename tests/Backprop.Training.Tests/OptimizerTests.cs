using System.Numerics;
using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary>
/// Each optimizer against steps worked out by hand (one parameter, a few iterations) and against a plain scalar
/// reference written from the published formulas (37 parameters, so the vectorised loops' tails are covered too).
/// </summary>
public class OptimizerTests
{
    private const int Count = 37;

    [Fact]
    public void Sgd_steps_by_hand()
    {
        var sgd = new Sgd<double>(1) { LearningRate = 0.1 };
        double[] theta = [1.0];

        sgd.Step(theta, [0.5]);
        Assert.Equal(0.95, theta[0], 15);
        sgd.Step(theta, [-2.0]);
        Assert.Equal(1.15, theta[0], 15);
    }

    [Fact]
    public void Momentum_steps_by_hand()
    {
        // α = 0.1, μ = 0.9, g = 1 every step: v = 1, 1.9, 2.71; θ = 1 − 0.1·v cumulatively = 0.9, 0.71, 0.439.
        var momentum = new Momentum<double>(1) { LearningRate = 0.1, Coefficient = 0.9 };
        double[] theta = [1.0];
        double[] expected = [0.9, 0.71, 0.439];
        foreach (double value in expected)
        {
            momentum.Step(theta, [1.0]);
            Assert.Equal(value, theta[0], 12);
        }

        Assert.Equal(2.71, momentum.Velocity[0], 12);
    }

    [Fact]
    public void Nesterov_momentum_steps_by_hand()
    {
        // v = 1, 1.9, 2.71 as above; θ −= 0.1·(g + μ·v): 0.1·1.9, 0.1·2.71, 0.1·3.439 → 0.81, 0.539, 0.1951.
        var momentum = new Momentum<double>(1) { LearningRate = 0.1, Coefficient = 0.9, Nesterov = true };
        double[] theta = [1.0];
        double[] expected = [0.81, 0.539, 0.1951];
        foreach (double value in expected)
        {
            momentum.Step(theta, [1.0]);
            Assert.Equal(value, theta[0], 12);
        }
    }

    [Fact]
    public void Adam_steps_by_hand()
    {
        // Step 1, g = 0.5: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, θ −= 0.1·0.5/(0.5 + 1e-8).
        // Step 2, g = −1: m = 0.045 − 0.1 = −0.055, v = 0.00024975 + 0.001 = 0.00124975,
        //   m̂ = −0.055/0.19 = −0.289473684…, v̂ = 0.00124975/0.001999 = 0.625187593…, θ −= 0.1·m̂/(√v̂ + 1e-8).
        var adam = new Adam<double>(1) { LearningRate = 0.1 };
        double[] theta = [1.0];

        adam.Step(theta, [0.5]);
        double afterFirst = 1.0 - 0.1 * 0.5 / (0.5 + 1e-8);
        Assert.Equal(afterFirst, theta[0], 14);
        Assert.Equal(0.05, adam.FirstMoment[0], 15);
        Assert.Equal(0.00025, adam.SecondMoment[0], 15);

        adam.Step(theta, [-1.0]);
        double mHat = -0.055 / 0.19;
        double vHat = 0.00124975 / 0.001999;
        Assert.Equal(afterFirst - 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8), theta[0], 14);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void AdamW_decays_the_weights_before_the_Adam_step()
    {
        // θ ← θ·(1 − αλ) = 1·(1 − 0.1·0.01) = 0.999, then the Adam step of size ≈ α = 0.1.
        var adamW = new Adam<double>(1) { LearningRate = 0.1, WeightDecay = 0.01 };
        double[] theta = [1.0];

        adamW.Step(theta, [0.5]);

        Assert.Equal(0.999 - 0.1 * 0.5 / (0.5 + 1e-8), theta[0], 14);
    }

    [Fact]
    public void AdamW_with_a_zero_gradient_only_decays()
    {
        var adamW = new Adam<double>(2) { LearningRate = 0.5, WeightDecay = 0.1 };
        double[] theta = [2.0, -4.0];

        adamW.Step(theta, [0.0, 0.0]);
        adamW.Step(theta, [0.0, 0.0]);

        Assert.Equal(2.0 * 0.95 * 0.95, theta[0], 14);
        Assert.Equal(-4.0 * 0.95 * 0.95, theta[1], 14);
    }

    public static TheoryData<string> Optimizers => new() { "Sgd", "Momentum", "Nesterov", "Adam", "AdamW", "RmsProp", "RmsPropCenteredMomentum" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Double_optimizer_matches_the_scalar_reference_over_several_steps(string name)
    {
        (IOptimizer<double> optimizer, Reference reference) = Create<double>(name);
        double[] theta = Data.Uniform<double>(Count, seed: 1);
        double[] expected = (double[])theta.Clone();

        for (int step = 0; step < 6; step++)
        {
            double[] gradient = Gradient(theta, step);
            optimizer.Step(theta, gradient);
            reference.Step(expected, Gradient(expected, step));
        }

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(expected[i], theta[i], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Float_optimizer_matches_the_scalar_reference_over_several_steps(string name)
    {
        (IOptimizer<float> optimizer, Reference reference) = Create<float>(name);
        float[] theta = Data.Uniform<float>(Count, seed: 2);
        double[] expected = theta.Select(v => (double)v).ToArray();

        for (int step = 0; step < 6; step++)
        {
            double[] gradient = Gradient(expected, step);
            optimizer.Step(theta, gradient.Select(g => (float)g).ToArray());
            reference.Step(expected, gradient);
        }

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(expected[i], theta[i], 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Reset_makes_the_optimizer_behave_as_new(string name)
    {
        (IOptimizer<double> used, _) = Create<double>(name);
        (IOptimizer<double> fresh, _) = Create<double>(name);
        double[] scratch = Data.Uniform<double>(Count, seed: 3);
        used.Step(scratch, Gradient(scratch, 0));
        used.Step(scratch, Gradient(scratch, 1));

        used.Reset();
        double[] a = Data.Uniform<double>(Count, seed: 4);
        double[] b = (double[])a.Clone();
        used.Step(a, Gradient(a, 0));
        fresh.Step(b, Gradient(b, 0));

        Assert.Equal(b, a);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_rejects_spans_of_another_length(string name)
    {
        (IOptimizer<double> optimizer, _) = Create<double>(name);

        var parameters = Assert.Throws<ArgumentException>(() => optimizer.Step(new double[Count + 1], new double[Count]));
        var gradient = Assert.Throws<ArgumentException>(() => optimizer.Step(new double[Count], new double[Count - 1]));

        Assert.Equal("parameters", parameters.ParamName);
        Assert.Contains($"length {Count}", parameters.Message);
        Assert.Equal("gradient", gradient.ParamName);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_allocates_nothing(string name)
    {
        (IOptimizer<float> optimizer, _) = Create<float>(name);
        float[] theta = Data.Uniform<float>(Count, seed: 5);
        float[] gradient = Data.Uniform<float>(Count, seed: 6);
        optimizer.Step(theta, gradient);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            optimizer.Step(theta, gradient);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Hyperparameters_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(1) { LearningRate = -0.1f });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(1) { LearningRate = float.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum<float>(1) { Coefficient = 1f });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(1) { Beta1 = 1.0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(1) { Beta2 = -0.1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(1) { Epsilon = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(1) { WeightDecay = double.PositiveInfinity });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<double>(1) { Rho = 1.0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<double>(1) { Momentum = -0.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<float>(1) { Epsilon = 0 });
    }

    [Fact]
    public void Defaults_are_the_usual_ones()
    {
        var adam = new Adam<double>(1);
        Assert.Equal((0.001, 0.9, 0.999, 1e-8, 0.0), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay));
        var momentum = new Momentum<double>(1);
        Assert.Equal((0.01, 0.9, false), (momentum.LearningRate, momentum.Coefficient, momentum.Nesterov));
        Assert.Equal(0.01, new Sgd<double>(1).LearningRate);
        var rmsProp = new RmsProp<double>(1);
        Assert.Equal((0.01, 0.99, 1e-8, 0.0, false), (rmsProp.LearningRate, rmsProp.Rho, rmsProp.Epsilon, rmsProp.Momentum, rmsProp.Centered));
    }

    /// <summary>A gradient that depends on θ and the step, so each step sees a different one.</summary>
    private static double[] Gradient(double[] theta, int step)
        => theta.Select((t, i) => t - Math.Sin(i + 0.5 * step) + (i % 5 == 0 ? 0 : 0.1 * (i % 3 - 1))).ToArray();

    private static double[] Gradient(float[] theta, int step) => Gradient(theta.Select(t => (double)t).ToArray(), step);

    private static (IOptimizer<T> Optimizer, Reference Reference) Create<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T Of(double value) => T.CreateTruncating(value);
        return name switch
        {
            "Sgd" => (new Sgd<T>(Count) { LearningRate = Of(0.05) }, new Reference.Sgd(0.05)),
            "Momentum" => (new Momentum<T>(Count) { LearningRate = Of(0.05), Coefficient = Of(0.8) }, new Reference.Momentum(0.05, 0.8, nesterov: false)),
            "Nesterov" => (new Momentum<T>(Count) { LearningRate = Of(0.05), Coefficient = Of(0.8), Nesterov = true }, new Reference.Momentum(0.05, 0.8, nesterov: true)),
            "Adam" => (new Adam<T>(Count) { LearningRate = Of(0.02), Beta1 = Of(0.8), Beta2 = Of(0.95) }, new Reference.Adam(0.02, 0.8, 0.95, 1e-8, 0)),
            "AdamW" => (new Adam<T>(Count) { LearningRate = Of(0.02), Beta1 = Of(0.8), Beta2 = Of(0.95), WeightDecay = Of(0.1) }, new Reference.Adam(0.02, 0.8, 0.95, 1e-8, 0.1)),
            "RmsProp" => (new RmsProp<T>(Count) { LearningRate = Of(0.01), Rho = Of(0.9) }, new Reference.RmsProp(0.01, 0.9, 1e-8, 0, centered: false)),
            "RmsPropCenteredMomentum" => (new RmsProp<T>(Count) { LearningRate = Of(0.01), Rho = Of(0.9), Momentum = Of(0.5), Centered = true }, new Reference.RmsProp(0.01, 0.9, 1e-8, 0.5, centered: true)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    /// <summary>The update rules as published, one scalar at a time, in double.</summary>
    private abstract class Reference
    {
        public abstract void Step(double[] theta, double[] g);

        public sealed class Sgd(double alpha) : Reference
        {
            public override void Step(double[] theta, double[] g)
            {
                for (int i = 0; i < theta.Length; i++)
                {
                    theta[i] -= alpha * g[i];
                }
            }
        }

        public sealed class Momentum(double alpha, double mu, bool nesterov) : Reference
        {
            private readonly double[] _v = new double[Count];

            public override void Step(double[] theta, double[] g)
            {
                for (int i = 0; i < theta.Length; i++)
                {
                    _v[i] = mu * _v[i] + g[i];
                    theta[i] -= alpha * (nesterov ? g[i] + mu * _v[i] : _v[i]);
                }
            }
        }

        /// <summary>torch.optim.RMSprop's update, as its documentation writes it.</summary>
        public sealed class RmsProp(double alpha, double rho, double epsilon, double mu, bool centered) : Reference
        {
            private readonly double[] _v = new double[Count];
            private readonly double[] _g = new double[Count];
            private readonly double[] _b = new double[Count];

            public override void Step(double[] theta, double[] g)
            {
                for (int i = 0; i < theta.Length; i++)
                {
                    _v[i] = rho * _v[i] + (1 - rho) * g[i] * g[i];
                    double vTilde = _v[i];
                    if (centered)
                    {
                        _g[i] = rho * _g[i] + (1 - rho) * g[i];
                        vTilde -= _g[i] * _g[i];
                    }

                    if (mu > 0)
                    {
                        _b[i] = mu * _b[i] + g[i] / (Math.Sqrt(vTilde) + epsilon);
                        theta[i] -= alpha * _b[i];
                    }
                    else
                    {
                        theta[i] -= alpha * g[i] / (Math.Sqrt(vTilde) + epsilon);
                    }
                }
            }
        }

        public sealed class Adam(double alpha, double beta1, double beta2, double epsilon, double lambda) : Reference
        {
            private readonly double[] _m = new double[Count];
            private readonly double[] _v = new double[Count];
            private int _t;

            public override void Step(double[] theta, double[] g)
            {
                _t++;
                for (int i = 0; i < theta.Length; i++)
                {
                    theta[i] -= alpha * lambda * theta[i];
                    _m[i] = beta1 * _m[i] + (1 - beta1) * g[i];
                    _v[i] = beta2 * _v[i] + (1 - beta2) * g[i] * g[i];
                    double mHat = _m[i] / (1 - Math.Pow(beta1, _t));
                    double vHat = _v[i] / (1 - Math.Pow(beta2, _t));
                    theta[i] -= alpha * mHat / (Math.Sqrt(vHat) + epsilon);
                }
            }
        }
    }
}

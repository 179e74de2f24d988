namespace Backprop.Training.Tests;

/// <summary>Small deterministic data sets for training tests.</summary>
internal static class Data
{
    /// <summary>
    /// Three Gaussian blobs in 4 dimensions (centres at ±1.5 on different axes), one-hot targets: separable enough
    /// to learn in a few epochs, noisy enough not to be trivial.
    /// </summary>
    public static (T[] Inputs, T[] Targets) Blobs<T>(int rows, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var inputs = new T[rows * 4];
        var targets = new T[rows * 3];
        double[][] centres = [[1.5, 0, -1.5, 0], [-1.5, 1.5, 0, 0], [0, -1.5, 1.5, 1]];
        for (int row = 0; row < rows; row++)
        {
            int label = row % 3;
            for (int i = 0; i < 4; i++)
            {
                inputs[row * 4 + i] = T.CreateTruncating(centres[label][i] + Gaussian(random) * 0.9);
            }

            targets[row * 3 + label] = T.One;
        }

        return (inputs, targets);
    }

    /// <summary>Random inputs with random one-hot labels: nothing to learn, everything to memorise.</summary>
    public static (float[] Inputs, float[] Targets) Noise(int rows, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[rows * 4];
        var targets = new float[rows * 3];
        for (int row = 0; row < rows; row++)
        {
            for (int i = 0; i < 4; i++)
            {
                inputs[row * 4 + i] = (float)Gaussian(random);
            }

            targets[row * 3 + random.Next(3)] = 1;
        }

        return (inputs, targets);
    }

    public static T[] Uniform<T>(int count, int seed, double scale = 1)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = T.CreateTruncating((random.NextDouble() * 2 - 1) * scale);
        }

        return values;
    }

    public static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

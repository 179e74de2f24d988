namespace Backprop.Generator.Planning;

/// <summary>
/// What the JIT counts in one method before deciding to compile it with MinOpts (dotnet/runtime
/// compiler.h, DEFAULT_MIN_OPTS_*): IL bytes, IL instructions, basic blocks, locals, and local/argument
/// load-store opcodes. Counted in 64 bits: an absurdly wide layer must not wrap around to "fits".
/// </summary>
internal readonly record struct MethodCost(long ILBytes, long ILInstructions, long BasicBlocks, long Locals, long LocalReferences)
{
    public static MethodCost operator +(MethodCost left, MethodCost right)
        => new(
            left.ILBytes + right.ILBytes,
            left.ILInstructions + right.ILInstructions,
            left.BasicBlocks + right.BasicBlocks,
            left.Locals + right.Locals,
            left.LocalReferences + right.LocalReferences);

    public static MethodCost operator *(long count, MethodCost cost)
        => new(
            count * cost.ILBytes,
            count * cost.ILInstructions,
            count * cost.BasicBlocks,
            count * cost.Locals,
            count * cost.LocalReferences);

    public bool FitsWithin(MethodCost limit)
        => ILBytes <= limit.ILBytes
           && ILInstructions <= limit.ILInstructions
           && BasicBlocks <= limit.BasicBlocks
           && Locals <= limit.Locals
           && LocalReferences <= limit.LocalReferences;
}

/// <summary>The limits the planner keeps every generated method under.</summary>
internal static class JitBudget
{
    /// <summary>
    /// The JIT's MinOpts thresholds: 60,000 IL bytes, 20,000 IL instructions, 2,000 basic blocks,
    /// 2,000 locals, 8,000 local/argument references. Past any of them a method is compiled unoptimised.
    /// </summary>
    public static readonly MethodCost MinOptsThresholds = new(60_000, 20_000, 2_000, 2_000, 8_000);

    /// <summary>
    /// The planner's limit: 10% under each threshold, and at most 900 locals because the JIT only
    /// tracks 1,024 locals for register allocation (JitMaxLocalsToTrack).
    /// </summary>
    public static readonly MethodCost PerMethod = new(54_000, 18_000, 1_800, 900, 7_200);
}

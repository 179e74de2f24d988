using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// The figures the JIT checks before it falls back to MinOpts, read from a method's IL: IL bytes,
/// IL instructions, basic blocks (counted as the JIT's importer splits them: at every branch target
/// and after every branch), locals plus arguments, and local/argument load-store opcodes.
/// </summary>
internal sealed record MethodBodyMetrics(string Type, string Method, int ILBytes, int ILInstructions, int BasicBlocks, int Locals, int LocalReferences)
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Reads every method body of an assembly image.</summary>
    public static ImmutableArray<MethodBodyMetrics> ReadAll(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        MetadataReader metadata = pe.GetMetadataReader();
        var result = ImmutableArray.CreateBuilder<MethodBodyMetrics>();
        foreach (TypeDefinitionHandle typeHandle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(typeHandle);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                int locals = body.LocalSignature.IsNil
                    ? 0
                    : metadata.GetBlobReader(metadata.GetStandaloneSignature(body.LocalSignature).Signature) is var reader
                      && reader.ReadSignatureHeader().Kind == SignatureKind.LocalVariables
                        ? reader.ReadCompressedInteger()
                        : 0;
                int arguments = method.GetParameters().Count + ((method.Attributes & MethodAttributes.Static) == 0 ? 1 : 0);
                
                result.Add(Measure(metadata.GetString(type.Name), metadata.GetString(method.Name), body.GetILBytes()!, locals + arguments));
            }
        }

        return result.ToImmutable();
    }

    private static MethodBodyMetrics Measure(string type, string method, byte[] il, int locals)
    {
        int instructions = 0;
        int localReferences = 0;
        var blockStarts = new HashSet<int> { 0 };
        int offset = 0;
        while (offset < il.Length)
        {
            short value = il[offset] == 0xFE ? (short)(0xFE00 | il[offset + 1]) : il[offset];
            OpCode opCode = OpCodesByValue[value];
            offset += opCode.Size;
            int operandSize = OperandSize(opCode.OperandType, il, offset);
            int next = offset + operandSize;
            instructions++;
            if (IsLocalOrArgumentAccess(opCode))
            {
                localReferences++;
            }

            switch (opCode.OperandType)
            {
                case OperandType.ShortInlineBrTarget:
                    blockStarts.Add(next + (sbyte)il[offset]);
                    blockStarts.Add(next);
                    break;
                case OperandType.InlineBrTarget:
                    blockStarts.Add(next + BitConverter.ToInt32(il, offset));
                    blockStarts.Add(next);
                    break;
                case OperandType.InlineSwitch:
                    int count = BitConverter.ToInt32(il, offset);
                    for (int i = 0; i < count; i++)
                    {
                        blockStarts.Add(next + BitConverter.ToInt32(il, offset + 4 + (4 * i)));
                    }

                    blockStarts.Add(next);
                    break;
                default:
                    if (opCode.FlowControl is FlowControl.Return or FlowControl.Throw)
                    {
                        blockStarts.Add(next);
                    }

                    break;
            }

            offset = next;
        }

        blockStarts.RemoveWhere(start => start >= il.Length);
        return new MethodBodyMetrics(type, method, il.Length, instructions, blockStarts.Count, locals, localReferences);
    }

    private static bool IsLocalOrArgumentAccess(OpCode opCode)
        => opCode.Name is { } name
           && (name.StartsWith("ldloc", StringComparison.Ordinal) || name.StartsWith("stloc", StringComparison.Ordinal)
               || name.StartsWith("ldarg", StringComparison.Ordinal) || name.StartsWith("starg", StringComparison.Ordinal));

    private static int OperandSize(OperandType type, byte[] il, int offset) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, offset)),
        _ => 4,
    };
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Definitions;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Parsing;

internal static partial class NetworkParser
{
    private sealed partial class Reader
    {
        /// <summary>Reads the loss and precision of <c>[Network(loss, Precision = …)]</c>.</summary>
        private (Loss Loss, Precision Precision)? ReadNetworkAttribute(AttributeData network)
        {
            if (network.ConstructorArguments.Length != 1)
            {
                return null;
            }

            Loss? loss = ReadEnum<Loss>(network.ConstructorArguments[0], LocationOfArgument(network, 0));
            Precision? precision = Precision.Single;
            foreach (KeyValuePair<string, TypedConstant> named in network.NamedArguments)
            {
                if (named.Key == "Precision")
                {
                    precision = ReadEnum<Precision>(named.Value, LocationOfNamedArgument(network, named.Key));
                }
            }

            return loss is { } l && precision is { } p ? (l, p) : null;
        }

        /// <summary>
        /// Collects <c>[Input]</c> and the <c>[Dense]</c> layers in source order. Returns false when one of
        /// them does not bind (the compiler reports that error itself).
        /// </summary>
        private bool ReadLayerAttributes(ref (int Size, AttributeData Attribute)? input, List<(LayerSpec Layer, AttributeData Attribute)> layers)
        {
            var found = new List<(int Position, AttributeData Attribute, bool IsInput)>();
            foreach (AttributeData attribute in type.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                bool isInput = name == InputAttributeName;
                if (!isInput && name != DenseAttributeName)
                {
                    continue;
                }

                if (HasBindingErrors(attribute) || attribute.ConstructorArguments.Length != (isInput ? 1 : 2))
                {
                    return false;
                }

                SyntaxReference? reference = attribute.ApplicationSyntaxReference;
                if (reference is null
                    || reference.SyntaxTree != declaration.SyntaxTree
                    || !declaration.Span.Contains(reference.Span))
                {
                    Report(DiagnosticDescriptors.LayerOnOtherPartialDeclaration, attribute, DisplayName, isInput ? "Input" : "Dense");
                    _inputElsewhere |= isInput;
                    _denseElsewhere |= !isInput;
                    continue;
                }

                found.Add((reference.Span.Start, attribute, isInput));
            }

            foreach ((_, AttributeData attribute, bool isInput) in found.OrderBy(f => f.Position))
            {
                if (isInput)
                {
                    // A second [Input] is the compiler's CS0579; the first one counts.
                    input ??= (ReadSize(attribute, "the input"), attribute);
                    continue;
                }

                int size = ReadSize(attribute, $"layer {layers.Count + 1}");
                Activation activation = ReadEnum<Activation>(attribute.ConstructorArguments[1], LocationOfArgument(attribute, 1))
                    ?? Activation.Identity;
                layers.Add((new LayerSpec(size, activation), attribute));
            }

            return true;
        }

        private int ReadSize(AttributeData attribute, string what)
        {
            int size = attribute.ConstructorArguments[0].Value is int value ? value : 0;
            if (size < 1)
            {
                Report(DiagnosticDescriptors.InvalidSize, LocationOfArgument(attribute, 0), DisplayName, what, size.ToString(CultureInfo.InvariantCulture));
            }

            return size;
        }

        private TEnum? ReadEnum<TEnum>(TypedConstant argument, Location location)
            where TEnum : struct, Enum
        {
            int value = argument.Value is int number ? number : -1;
            if (IsDefined<TEnum>(argument))
            {
                return (TEnum)(object)value;
            }

            string written = $"({typeof(TEnum).Name}){value.ToString(CultureInfo.InvariantCulture)}";
            Report(DiagnosticDescriptors.UndefinedEnumValue, location, DisplayName, written, typeof(TEnum).Name);
            return null;
        }

        private static bool IsDefined<TEnum>(TypedConstant argument)
            where TEnum : struct, Enum
            => argument.Value is int value && Enum.IsDefined(typeof(TEnum), value);

        /// <summary>Each activation where its definition allows it; a loss fused with one output activation only with it.</summary>
        private void CheckLayerActivations(Loss loss, AttributeData network, List<(LayerSpec Layer, AttributeData Attribute)> layers)
        {
            for (int i = 0; i < layers.Count - 1; i++)
            {
                if (!ActivationDefinition.Of(layers[i].Layer.Activation).AllowedOnHiddenLayers)
                {
                    Report(DiagnosticDescriptors.SoftmaxOnHiddenLayer, layers[i].Attribute, DisplayName, (i + 1).ToString(CultureInfo.InvariantCulture));
                }
            }

            (LayerSpec outputLayer, AttributeData outputAttribute) = layers[layers.Count - 1];
            if (!IsDefined<Activation>(outputAttribute.ConstructorArguments[1]))
            {
                // BP0010 already; the Identity it was read as is a stand-in, not what the user wrote.
                return;
            }

            if (LossDefinition.Of(loss).Fused is { } fused && outputLayer.Activation != fused.Activation)
            {
                Report(fused.MissingActivation, LocationOfArgument(network, 0), DisplayName, outputLayer.Activation.ToString());
            }
        }

        /// <summary>
        /// Every parameter lives in one array, so the count must fit Array.MaxLength; and a method's
        /// working buffer holds up to three values per neuron (a, δ, and z of the output layer).
        /// </summary>
        private void CheckParameterCount(int inputSize, List<(LayerSpec Layer, AttributeData Attribute)> layers)
        {
            if (inputSize < 1 || layers.Any(l => l.Layer.Size < 1))
            {
                return;
            }

            decimal total = 0;
            decimal fanIn = inputSize;
            AttributeData? firstOver = null;
            foreach ((LayerSpec layer, AttributeData attribute) in layers)
            {
                total += (fanIn * layer.Size) + layer.Size;
                fanIn = layer.Size;
                if (total > MaxParameterCount && firstOver is null)
                {
                    firstOver = attribute;
                }
            }

            decimal neurons = layers.Sum(l => (decimal)l.Layer.Size);
            if (firstOver is null && neurons > MaxNeuronCount)
            {
                Report(
                    DiagnosticDescriptors.TooManyNeurons,
                    layers[layers.Count - 1].Attribute,
                    DisplayName,
                    neurons.ToString("N0", CultureInfo.InvariantCulture),
                    MaxNeuronCount.ToString("N0", CultureInfo.InvariantCulture));
            }

            if (firstOver is not null)
            {
                Report(
                    DiagnosticDescriptors.TooManyParameters,
                    firstOver,
                    DisplayName,
                    total.ToString("N0", CultureInfo.InvariantCulture),
                    MaxParameterCount.ToString("N0", CultureInfo.InvariantCulture));
            }
        }

        /// <summary>A user member with a generated member's name (and, for methods, parameters) would not compile.</summary>
        private void CheckMemberNames(Precision precision)
        {
            var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach ((string name, string[]? parameterTypes) in GeneratedMembers.All(precision))
            {
                if (type.Name == name && reported.Add(type))
                {
                    Report(DiagnosticDescriptors.MemberNameConflict, declaration.Identifier.GetLocation(), DisplayName, name);
                }

                foreach (ISymbol member in type.GetMembers(name))
                {
                    if (member.IsImplicitlyDeclared || !Conflicts(member, parameterTypes) || !reported.Add(member))
                    {
                        continue;
                    }

                    Location location = member.Locations.FirstOrDefault(l => l.IsInSource) ?? declaration.Identifier.GetLocation();
                    Report(DiagnosticDescriptors.MemberNameConflict, location, DisplayName, name);
                }
            }
        }

        private static bool Conflicts(ISymbol member, string[]? parameterTypes)
            => parameterTypes is null
               || member is not IMethodSymbol method
               || method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).SequenceEqual(parameterTypes);
    }
}

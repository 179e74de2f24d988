using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Definitions;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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
            var found = new List<(int Position, AttributeData Attribute, bool IsInput, (int Size, int Activation) Arguments)>();
            foreach (AttributeData attribute in type.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                bool isInput = name == InputAttributeName;
                if (!isInput && name != DenseAttributeName)
                {
                    continue;
                }

                if (ReadLayerArguments(attribute, isInput) is not { } arguments)
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

                found.Add((reference.Span.Start, attribute, isInput, arguments));
            }

            foreach ((_, AttributeData attribute, bool isInput, (int size, int activationValue)) in found.OrderBy(f => f.Position))
            {
                if (isInput)
                {
                    // A second [Input] is the compiler's CS0579; the first one counts.
                    input ??= (ReadSize(size, attribute, "the input"), attribute);
                    continue;
                }

                int layerSize = ReadSize(size, attribute, $"layer {layers.Count + 1}");
                Activation? activation = ReadEnum<Activation>(activationValue, LocationOfArgument(attribute, 1));
                if (activation is null)
                {
                    _undefinedActivations.Add(attribute);
                }

                layers.Add((new LayerSpec(layerSize, activation ?? Activation.Identity), attribute));
            }

            return true;
        }

        private int ReadSize(int size, AttributeData attribute, string what)
        {
            if (size < 1)
            {
                Report(DiagnosticDescriptors.InvalidSize, LocationOfArgument(attribute, 0), DisplayName, what, size.ToString(CultureInfo.InvariantCulture));
            }

            return size;
        }

        private TEnum? ReadEnum<TEnum>(TypedConstant argument, Location location)
            where TEnum : struct, Enum
            => ReadEnum<TEnum>(argument.Value is int number ? number : -1, location);

        private TEnum? ReadEnum<TEnum>(int value, Location location)
            where TEnum : struct, Enum
        {
            if (Enum.IsDefined(typeof(TEnum), value))
            {
                return (TEnum)(object)value;
            }

            string written = $"({typeof(TEnum).Name}){value.ToString(CultureInfo.InvariantCulture)}";
            Report(DiagnosticDescriptors.UndefinedEnumValue, location, DisplayName, written, typeof(TEnum).Name);
            return null;
        }

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
            if (_undefinedActivations.Contains(outputAttribute) || _denseElsewhere)
            {
                // BP0010 already, and the Identity it was read as is a stand-in, not what the user wrote; or a
                // [Dense] on another declaration (BP0009), in an order C# does not define, so the last layer here
                // may not be the output layer at all.
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

        /// <summary>
        /// A user member with a generated member's name (and, for methods, parameters) would not compile: reported
        /// when <paramref name="report"/>, and always recorded, so that a stub leaves those names to the user.
        /// </summary>
        private void CheckMemberNames(Precision precision, bool report)
        {
            var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach ((string name, string[]? parameterTypes) in GeneratedMembers.All(precision, _weights is not null))
            {
                if (type.Name == name && reported.Add(type))
                {
                    _takenMembers.Add(name);
                    if (report)
                    {
                        Report(DiagnosticDescriptors.MemberNameConflict, declaration.Identifier.GetLocation(), DisplayName, name);
                    }
                }

                foreach (ISymbol member in type.GetMembers(name))
                {
                    if (member.IsImplicitlyDeclared || !Conflicts(member, parameterTypes) || !reported.Add(member))
                    {
                        continue;
                    }

                    _takenMembers.Add(name);
                    if (report)
                    {
                        Location location = member.Locations.FirstOrDefault(l => l.IsInSource) ?? declaration.Identifier.GetLocation();
                        Report(DiagnosticDescriptors.MemberNameConflict, location, DisplayName, name);
                    }
                }
            }
        }

        /// <summary>
        /// The user's own explicit implementation of an <c>INetwork&lt;T&gt;</c> property the generated network implements
        /// explicitly too (<c>int INetwork&lt;float&gt;.InputCount</c>) would be a second one (CS8646).
        /// </summary>
        private void CheckExplicitImplementations(bool report)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is not IPropertySymbol property)
                {
                    continue;
                }

                foreach (IPropertySymbol implemented in property.ExplicitInterfaceImplementations)
                {
                    if (implemented.ContainingType.OriginalDefinition.ToDisplayString() != NetworkInterfaceName
                        || Array.IndexOf(GeneratedMembers.ExplicitInterfaceProperties, implemented.Name) < 0)
                    {
                        continue;
                    }

                    _takenMembers.Add(GeneratedMembers.ExplicitImplementation(implemented.Name));
                    if (report)
                    {
                        Location location = property.Locations.FirstOrDefault(l => l.IsInSource) ?? declaration.Identifier.GetLocation();
                        Report(DiagnosticDescriptors.MemberNameConflict, location, DisplayName, $"{implemented.ContainingType.ToDisplayString()}.{implemented.Name}");
                    }
                }
            }
        }

        /// <summary>
        /// BP0018: an unqualified name in an argument of [Network], [Input] or [Dense] that a generated member also
        /// bears. Arguments bind with the network's members in scope, so once generated it would name that member.
        /// The stub of the network leaves such names out, so that the arguments keep their meaning meanwhile.
        /// </summary>
        private void CheckShadowedArguments()
        {
            foreach (AttributeListSyntax list in declaration.AttributeLists)
            {
                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    if (attribute.ArgumentList is null || !IsOurs(attribute))
                    {
                        continue;
                    }

                    foreach (IdentifierNameSyntax name in attribute.ArgumentList.DescendantNodes().OfType<IdentifierNameSyntax>())
                    {
                        string text = name.Identifier.ValueText;
                        bool qualified = name.Parent is MemberAccessExpressionSyntax access && access.Name == name
                                         || name.Parent is QualifiedNameSyntax qualifiedName && qualifiedName.Right == name
                                         || name.Parent is NameEqualsSyntax or NameColonSyntax;
                        if (!qualified && GeneratedNames.Contains(text))
                        {
                            _takenMembers.Add(text);
                            Report(DiagnosticDescriptors.ArgumentShadowedByGeneratedMember, name.GetLocation(), DisplayName, text);
                        }
                    }
                }
            }
        }

        /// <summary>Every name a generated member of this network bears (BP0018 and BP0019 check against it).</summary>
        private HashSet<string> GeneratedNames
            => _generatedNames ??= new HashSet<string>(GeneratedMembers.All(_precision, _weights is not null).Select(m => m.Name), StringComparer.Ordinal);

        /// <summary>Whether the attribute is one of ours, by the name it is written with (it may not bind yet).</summary>
        private static bool IsOurs(AttributeSyntax attribute)
        {
            string name = attribute.Name switch
            {
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => "",
            };
            return name is "Network" or "NetworkAttribute" or "Input" or "InputAttribute" or "Dense" or "DenseAttribute";
        }

        /// <summary>BP0019: false when a base class has a member named like a generated one, which the network's would hide.</summary>
        private bool CheckBaseType()
        {
            for (INamedTypeSymbol? baseType = type.BaseType; baseType is { SpecialType: not SpecialType.System_Object }; baseType = baseType.BaseType)
            {
                ISymbol? hidden = baseType.GetMembers()
                    .Where(m => !m.IsImplicitlyDeclared && m.DeclaredAccessibility != Accessibility.Private && GeneratedNames.Contains(m.Name))
                    .OrderBy(m => m.Name, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (hidden is not null)
                {
                    Location location = declaration.BaseList?.Types.FirstOrDefault()?.GetLocation() ?? declaration.Identifier.GetLocation();
                    Report(DiagnosticDescriptors.BaseTypeHasGeneratedMember, location, DisplayName, baseType.ToDisplayString(), hidden.Name);
                    return false;
                }
            }

            return true;
        }

        private static bool Conflicts(ISymbol member, string[]? parameterTypes)
            => parameterTypes is null
               || member is not IMethodSymbol method
               || (method.Parameters.All(p => p.RefKind == RefKind.None)
                   && method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).SequenceEqual(parameterTypes));
    }
}

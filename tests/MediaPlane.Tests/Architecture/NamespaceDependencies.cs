using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace MediaPlane.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which others, read from its compiled metadata rather than from
/// using directives (those miss fully qualified names and a child namespace's view of its parent):
/// base types, interfaces, generic constraints, attributes, field and method signatures, locals, and
/// every type, method and field token in method bodies. Nested types, compiler-made closures and state
/// machines included, count for the namespace of the type that declares them.
/// </summary>
internal sealed class NamespaceDependencies
{
    // Operand sizes of every IL instruction (ECMA-335 §III), by opcode value.
    private static readonly OpCode?[] OneByteOpCodes = new OpCode?[256];
    private static readonly OpCode?[] TwoByteOpCodes = new OpCode?[256];

    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    static NamespaceDependencies()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            ushort value = (ushort)opCode.Value;
            if (opCode.Size == 1)
                OneByteOpCodes[value] = opCode;
            else
                TwoByteOpCodes[value & 0xFF] = opCode;
        }
    }

    /// <summary>From namespace → (to namespace → one example, "Type uses Type"), self-uses left out.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    /// <summary>A graph given as edges (for testing the cycle search itself).</summary>
    public static NamespaceDependencies FromEdges(params (string From, string To)[] edges)
    {
        var graph = new NamespaceDependencies();
        foreach (var (from, to) in edges)
            graph.Add(from, to, $"{from} uses {to}");
        return graph;
    }

    /// <summary>The dependencies between namespaces starting with <paramref name="rootNamespace"/> in the assembly at <paramref name="path"/>.</summary>
    /// <param name="group">Maps a namespace to the node it counts for (for instance its top folder); itself when null.</param>
    public static NamespaceDependencies Read(string path, string rootNamespace, Func<string, string>? group = null)
    {
        group ??= ns => ns;
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var graph = new NamespaceDependencies();
        foreach (var handle in reader.TypeDefinitions)
        {
            var (ns, name) = OutermostName(reader, handle);
            if (!ns.StartsWith(rootNamespace, StringComparison.Ordinal))
                continue;
            string from = group(ns);
            var used = new SignatureTypeCollector();
            CollectType(reader, pe, handle, used);
            foreach (var target in used.Found)
            {
                var (targetNs, targetName) = OutermostName(reader, target);
                if (targetNs.StartsWith(rootNamespace, StringComparison.Ordinal) && group(targetNs) is var to && to != from)
                    graph.Add(from, to, $"{ns}.{name} uses {targetNs}.{targetName}");
            }
        }
        return graph;
    }

    /// <summary>Groups of namespaces that depend on each other in a circle (strongly connected, Tarjan), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var lowLink = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges.TryGetValue(node, out var targets) ? targets.Keys : Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], index[next]);
                }
            }
            if (lowLink[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != node);
            if (component.Count > 1)
                cycles.Add(component.Order(StringComparer.Ordinal).ToList());
        }

        foreach (var node in _edges.Keys.ToList())
        {
            if (!index.ContainsKey(node))
                Visit(node);
        }
        return cycles;
    }

    /// <summary>The edges inside one cycle, each with its example, for a failure message.</summary>
    public IEnumerable<string> Explain(IReadOnlyList<string> cycle) =>
        from source in cycle
        where _edges.ContainsKey(source)
        from edge in _edges[source]
        where cycle.Contains(edge.Key)
        select $"{source} -> {edge.Key} ({edge.Value})";

    private void Add(string from, string to, string example)
    {
        if (!_edges.TryGetValue(from, out var targets))
            _edges[from] = targets = new Dictionary<string, string>(StringComparer.Ordinal);
        targets.TryAdd(to, example);
    }

    private static (string Namespace, string Name) OutermostName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (!type.GetDeclaringType().IsNil)
            type = reader.GetTypeDefinition(type.GetDeclaringType());
        return (reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    private static void CollectType(MetadataReader reader, PEReader pe, TypeDefinitionHandle handle, SignatureTypeCollector used)
    {
        var type = reader.GetTypeDefinition(handle);
        if (!type.BaseType.IsNil)
            CollectEntity(reader, type.BaseType, used);
        foreach (var implementation in type.GetInterfaceImplementations())
            CollectEntity(reader, reader.GetInterfaceImplementation(implementation).Interface, used);
        CollectGenericConstraints(reader, type.GetGenericParameters(), used);
        CollectAttributes(reader, type.GetCustomAttributes(), used);
        foreach (var fieldHandle in type.GetFields())
        {
            var field = reader.GetFieldDefinition(fieldHandle);
            field.DecodeSignature(used, null);
            CollectAttributes(reader, field.GetCustomAttributes(), used);
        }
        foreach (var methodHandle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(methodHandle);
            method.DecodeSignature(used, null);
            CollectGenericConstraints(reader, method.GetGenericParameters(), used);
            CollectAttributes(reader, method.GetCustomAttributes(), used);
            if (method.RelativeVirtualAddress == 0)
                continue;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
                reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(used, null);
            CollectBody(reader, body.GetILReader(), used);
        }
    }

    private static void CollectGenericConstraints(MetadataReader reader, GenericParameterHandleCollection parameters, SignatureTypeCollector used)
    {
        foreach (var parameter in parameters)
        {
            foreach (var constraint in reader.GetGenericParameter(parameter).GetConstraints())
                CollectEntity(reader, reader.GetGenericParameterConstraint(constraint).Type, used);
        }
    }

    private static void CollectAttributes(MetadataReader reader, CustomAttributeHandleCollection attributes, SignatureTypeCollector used)
    {
        foreach (var attribute in attributes)
            CollectEntity(reader, reader.GetCustomAttribute(attribute).Constructor, used);
    }

    /// <summary>Every token operand of the method's IL: types, methods and fields it names.</summary>
    private static void CollectBody(MetadataReader reader, BlobReader il, SignatureTypeCollector used)
    {
        while (il.RemainingBytes > 0)
        {
            byte first = il.ReadByte();
            var opCode = first == 0xFE ? TwoByteOpCodes[il.ReadByte()] : OneByteOpCodes[first];
            if (opCode is not { } op)
                throw new InvalidDataException($"Unknown IL opcode 0x{first:X2} at offset {il.Offset - 1}.");
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    int targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    CollectEntity(reader, MetadataTokens.EntityHandle(il.ReadInt32()), used);
                    break;
                default: // InlineI, InlineBrTarget, ShortInlineR, InlineString, InlineSig: 4 bytes naming no type
                    il.Offset += 4;
                    break;
            }
        }
    }

    private static void CollectEntity(MetadataReader reader, EntityHandle handle, SignatureTypeCollector used)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                used.Found.Add((TypeDefinitionHandle)handle);
                break;
            case HandleKind.TypeSpecification:
                reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(used, null);
                break;
            case HandleKind.MethodDefinition:
                used.Found.Add(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.FieldDefinition:
                used.Found.Add(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                CollectEntity(reader, member.Parent, used);
                if (member.GetKind() == MemberReferenceKind.Method)
                    member.DecodeMethodSignature(used, null);
                else
                    member.DecodeFieldSignature(used, null);
                break;
            case HandleKind.MethodSpecification:
                var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                CollectEntity(reader, specification.Method, used);
                specification.DecodeSignature(used, null);
                break;
            // Type references name other assemblies' types; module references and signatures name none.
        }
    }
}

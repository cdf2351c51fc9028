using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace MediaPlane.Tests.Architecture;

/// <summary>
/// Decodes metadata signatures (ECMA-335 §II.23.2) only to note which of the assembly's own types they
/// name: every type definition met while decoding lands in <see cref="Found"/>. The decoded value is unused.
/// </summary>
internal sealed class SignatureTypeCollector : ISignatureTypeProvider<int, object?>
{
    public HashSet<TypeDefinitionHandle> Found { get; } = [];

    public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        Found.Add(handle);
        return 0;
    }

    // Types of other assemblies are not the question.
    public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => 0;

    public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
    public int GetSZArrayType(int elementType) => 0;
    public int GetArrayType(int elementType, ArrayShape shape) => 0;
    public int GetByReferenceType(int elementType) => 0;
    public int GetPointerType(int elementType) => 0;
    public int GetPinnedType(int elementType) => 0;
    public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
    public int GetGenericMethodParameter(object? genericContext, int index) => 0;
    public int GetGenericTypeParameter(object? genericContext, int index) => 0;
    public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
    public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
}

namespace MediaPlane.Contracts;

public enum MediaKind
{
    Audio = 1,
    Video = 2,
}

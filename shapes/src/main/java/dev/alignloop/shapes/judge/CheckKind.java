package dev.alignloop.shapes.judge;

/** The attributes the judge checks; each {@link Check} is of one kind. */
public enum CheckKind {
    /** Every object of a group was found in the stated colour (checked only when a colour is stated). */
    COLOR,
    /** Every object of a group was found with the stated shape. */
    SHAPE,
    /** Every object of a group has the stated size class (checked only when a size is stated). */
    SIZE,
    /** The image holds exactly as many objects of the group's colour and shape as stated ("a" means one). */
    COUNT,
    /** The stated relation holds between the two matched objects' centroids. */
    RELATION,
    /** The background has the stated colour (checked only for a non-default, i.e. black, background). */
    BACKGROUND
}

"""The map of local spend and provision (the NDTi Stage One questionnaire, Appendix 1).

Pure logic: records (:mod:`.model`), their words (:mod:`.vocab`), what the map
shows (:mod:`.analysis`, :mod:`.result`) and the study's national figures
(:mod:`.national`). No widgets and no files here.
"""
